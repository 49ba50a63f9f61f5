// SPDX-License-Identifier: MIT OR Apache-2.0
// The host side of GameStream pairing fed fuzzer-chosen phase inputs (the hex
// strings a client controls): no crash, no success without a real client,
// and any error leaves the session failed for good.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/check.h"
#include "base/hex.h"
#include "crypto/pki.h"
#include "proto/gamestream/pairing.h"

namespace {

using namespace pf::proto::gamestream;

// 1024-bit keys: the phases' parsing and checks are the same as with Moonlight's 2048 bits, at
// a fifth of the cost of each RSA signature (the fuzzer's time goes to the parsers).
constexpr int kFuzzKeyBits = 1024;

const HostCredentials& host() {
  static const HostCredentials h = [] {
    auto id = *pf::crypto::make_self_signed_rsa("fuzz-host", 20, kFuzzKeyBits);
    return HostCredentials{id.cert_pem, id.key_pem};
  }();
  return h;
}
const std::string& client_cert_hex() {
  static const std::string hex = [] {
    auto id = *pf::crypto::make_self_signed_rsa("NVIDIA GameStream Client", 20, kFuzzKeyBits, true);
    return pf::to_hex(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(id.cert_pem.data()),
                                               id.cert_pem.size()));
  }();
  return hex;
}

// Splits the input at 0xFF bytes into up to 5 fields.
std::string_view field(std::string_view in, int n) {
  for (int i = 0; i < n; ++i) {
    const size_t p = in.find('\xFF');
    if (p == std::string_view::npos)
      return {};
    in.remove_prefix(p + 1);
  }
  return in.substr(0, in.find('\xFF'));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  // Field 0 chooses the salt, field 1 the certificate (fuzzed or a real one).
  const std::string_view salt = field(in, 0);
  const std::string_view cert = field(in, 1);
  auto p = HostPairing::start(host(), salt, cert.empty() ? client_cert_hex() : cert, "fuzz");
  if (!p)
    return 0;
  if (!p->set_pin(field(in, 2).substr(0, 6)))
    return 0;
  if (!p->client_challenge(field(in, 3))) {
    PF_CHECK(p->phase() == HostPairing::Phase::kFailed);
    PF_CHECK(!p->set_pin("1234"));
    return 0;
  }
  if (!p->server_challenge_response(field(in, 4))) {
    PF_CHECK(p->phase() == HostPairing::Phase::kFailed);
    return 0;
  }
  // Without the client's private key, phase 4 cannot succeed.
  const pf::Status st = p->client_pairing_secret(field(in, 5));
  PF_CHECK(!st.is_ok());
  PF_CHECK(p->phase() == HostPairing::Phase::kFailed);
  return 0;
}
