// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/gamestream/pairing.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "base/hex.h"
#include "crypto/pki.h"

namespace pf::proto::gamestream {

namespace {

std::span<const uint8_t> bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

std::string pem_from_hex(std::string_view hex, Status* err) {
  auto raw = from_hex(hex);
  if (!raw) {
    *err = raw.error();
    return {};
  }
  return std::string(raw->begin(), raw->end());
}

std::array<uint8_t, 16> derive_key(std::span<const uint8_t> salt, std::string_view pin) {
  const auto h = crypto::sha256_concat({salt, bytes(pin)});
  std::array<uint8_t, 16> k;
  std::copy_n(h.begin(), 16, k.begin());
  return k;
}

// Decrypts hex of exactly `n` bytes with AES-128-ECB.
Result<std::vector<uint8_t>> decrypt_hex(std::span<const uint8_t> key,
                                         std::string_view hex,
                                         size_t n,
                                         std::string_view what) {
  auto raw = from_hex(hex);
  if (!raw || raw->size() != n)
    return make_error(StatusCode::kInvalidArgument,
                      fmt::format("'{}' must be {} hex digits", what, 2 * n));
  return crypto::aes128_ecb(false, key, *raw);
}

Result<std::string> encrypt_hex(std::span<const uint8_t> key, std::span<const uint8_t> data) {
  auto ct = crypto::aes128_ecb(true, key, data);
  if (!ct)
    return tl::unexpected(ct.error());
  return to_hex(*ct);
}

}  // namespace

// ---- host ----------------------------------------------------------------

Result<HostPairing> HostPairing::start(const HostCredentials& host,
                                       std::string_view salt_hex,
                                       std::string_view clientcert_hex,
                                       std::string device_name) {
  HostPairing p;
  if (salt_hex.size() < 32)
    return make_error(StatusCode::kInvalidArgument, "'salt' must be at least 32 hex digits");
  auto salt = from_hex(salt_hex.substr(0, 32));
  if (!salt)
    return make_error(StatusCode::kInvalidArgument, "'salt' is not hex");
  std::copy(salt->begin(), salt->end(), p.salt_.begin());
  Status err;
  p.client_cert_pem_ = pem_from_hex(clientcert_hex, &err);
  if (!err.is_ok())
    return make_error(StatusCode::kInvalidArgument, "'clientcert' is not hex");
  auto client_sig = crypto::certificate_signature(p.client_cert_pem_);
  if (!client_sig)
    return make_error(StatusCode::kInvalidArgument, "'clientcert' is not a PEM certificate");
  auto host_sig = crypto::certificate_signature(host.cert_pem);
  if (!host_sig)
    return make_error(StatusCode::kInternal, "the host certificate does not parse");
  p.client_signature_ = std::move(*client_sig);
  p.host_signature_ = std::move(*host_sig);
  p.host_ = host;
  p.device_name_ = std::move(device_name);
  return p;
}

Status HostPairing::fail(StatusCode code, std::string msg) {
  phase_ = Phase::kFailed;
  return Status(code, std::move(msg));
}

Status HostPairing::expect(Phase p) const {
  if (phase_ == p)
    return Status::ok();
  return Status(StatusCode::kFailedPrecondition, "pairing phase out of order");
}

Result<std::string> HostPairing::set_pin(std::string_view pin) {
  if (auto st = expect(Phase::kNeedPin); !st.is_ok())
    return tl::unexpected(fail(st.code(), st.message()));
  if (pin.size() < 4 || pin.size() > 8 || !std::all_of(pin.begin(), pin.end(), ::isdigit))
    return tl::unexpected(Status(StatusCode::kInvalidArgument, "a PIN is 4 digits"));
  key_ = derive_key(salt_, pin);
  phase_ = Phase::kClientChallenge;
  return to_hex(bytes(host_.cert_pem));
}

Result<std::string> HostPairing::client_challenge(std::string_view hex) {
  if (auto st = expect(Phase::kClientChallenge); !st.is_ok())
    return tl::unexpected(fail(st.code(), st.message()));
  auto cc = decrypt_hex(key_, hex, 16, "clientchallenge");
  if (!cc)
    return tl::unexpected(fail(cc.error().code(), cc.error().message()));
  crypto::random_bytes(server_secret_);
  crypto::random_bytes(server_challenge_);
  const auto h = crypto::sha256_concat({*cc, host_signature_, server_secret_});
  std::array<uint8_t, 48> plain;
  std::copy(h.begin(), h.end(), plain.begin());
  std::copy(server_challenge_.begin(), server_challenge_.end(), plain.begin() + 32);
  auto out = encrypt_hex(key_, plain);
  if (!out)
    return tl::unexpected(fail(out.error().code(), out.error().message()));
  phase_ = Phase::kServerChallengeResponse;
  return out;
}

Result<std::string> HostPairing::server_challenge_response(std::string_view hex) {
  if (auto st = expect(Phase::kServerChallengeResponse); !st.is_ok())
    return tl::unexpected(fail(st.code(), st.message()));
  auto hash = decrypt_hex(key_, hex, 32, "serverchallengeresp");
  if (!hash)
    return tl::unexpected(fail(hash.error().code(), hash.error().message()));
  std::copy(hash->begin(), hash->end(), client_hash_.begin());
  auto sig = crypto::rsa_sha256_sign(host_.key_pem, server_secret_);
  if (!sig)
    return tl::unexpected(fail(sig.error().code(), sig.error().message()));
  std::vector<uint8_t> secret(server_secret_.begin(), server_secret_.end());
  secret.insert(secret.end(), sig->begin(), sig->end());
  phase_ = Phase::kClientSecret;
  return to_hex(secret);
}

Status HostPairing::client_pairing_secret(std::string_view hex) {
  if (auto st = expect(Phase::kClientSecret); !st.is_ok())
    return fail(st.code(), st.message());
  auto raw = from_hex(hex);
  if (!raw || raw->size() <= 16)
    return fail(StatusCode::kInvalidArgument, "'clientpairingsecret' is too short or not hex");
  const std::span<const uint8_t> client_secret(raw->data(), 16);
  const std::span<const uint8_t> signature(raw->data() + 16, raw->size() - 16);
  const auto expected =
      crypto::sha256_concat({server_challenge_, client_signature_, client_secret});
  if (expected != client_hash_)
    return fail(StatusCode::kPermissionDenied,
                "the client's challenge hash does not match (wrong PIN?)");
  if (!crypto::rsa_sha256_verify(client_cert_pem_, client_secret, signature))
    return fail(StatusCode::kPermissionDenied, "the client's pairing signature does not verify");
  phase_ = Phase::kPaired;
  return Status::ok();
}

// ---- client --------------------------------------------------------------

ClientPairing::ClientPairing(std::string cert_pem, std::string key_pem, std::string pin)
    : cert_pem_(std::move(cert_pem)), key_pem_(std::move(key_pem)), pin_(std::move(pin)) {
  crypto::random_bytes(salt_);
  key_ = derive_key(salt_, pin_);
}

std::string ClientPairing::salt_hex() const {
  return to_hex(salt_);
}

std::string ClientPairing::clientcert_hex() const {
  return to_hex(bytes(cert_pem_));
}

Status ClientPairing::on_plaincert(std::string_view hex) {
  if (hex.empty())
    return Status(StatusCode::kAlreadyExists, "another pairing is already in progress");
  Status err;
  host_cert_pem_ = pem_from_hex(hex, &err);
  if (!err.is_ok() || !crypto::certificate_signature(host_cert_pem_))
    return Status(StatusCode::kInvalidArgument, "plaincert is not a certificate");
  return Status::ok();
}

Result<std::string> ClientPairing::clientchallenge_hex() {
  crypto::random_bytes(client_challenge_);
  return encrypt_hex(key_, client_challenge_);
}

Status ClientPairing::on_challengeresponse(std::string_view hex) {
  auto plain = decrypt_hex(key_, hex, 48, "challengeresponse");
  if (!plain)
    return plain.error();
  std::copy_n(plain->begin(), 32, host_hash_.begin());
  std::copy_n(plain->begin() + 32, 16, server_challenge_.begin());
  return Status::ok();
}

Result<std::string> ClientPairing::serverchallengeresp_hex() {
  crypto::random_bytes(client_secret_);
  auto my_sig = crypto::certificate_signature(cert_pem_);
  if (!my_sig)
    return tl::unexpected(my_sig.error());
  const auto h = crypto::sha256_concat({server_challenge_, *my_sig, client_secret_});
  return encrypt_hex(key_, h);
}

Status ClientPairing::on_pairingsecret(std::string_view hex) {
  auto raw = from_hex(hex);
  if (!raw || raw->size() <= 16)
    return Status(StatusCode::kInvalidArgument, "pairingsecret too short");
  const std::span<const uint8_t> server_secret(raw->data(), 16);
  const std::span<const uint8_t> signature(raw->data() + 16, raw->size() - 16);
  if (!crypto::rsa_sha256_verify(host_cert_pem_, server_secret, signature))
    return Status(StatusCode::kPermissionDenied, "host signature does not verify (MITM?)");
  auto host_sig = crypto::certificate_signature(host_cert_pem_);
  if (!host_sig)
    return host_sig.error();
  const auto expected = crypto::sha256_concat({client_challenge_, *host_sig, server_secret});
  if (expected != host_hash_)
    return Status(StatusCode::kPermissionDenied, "incorrect PIN");
  return Status::ok();
}

Result<std::string> ClientPairing::clientpairingsecret_hex() {
  auto sig = crypto::rsa_sha256_sign(key_pem_, client_secret_);
  if (!sig)
    return tl::unexpected(sig.error());
  std::vector<uint8_t> out(client_secret_.begin(), client_secret_.end());
  out.insert(out.end(), sig->begin(), sig->end());
  return to_hex(out);
}

}  // namespace pf::proto::gamestream
