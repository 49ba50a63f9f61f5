// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/native/pairing.h"

#include <algorithm>

#include "base/byte_reader.h"

namespace pf::proto::native {
namespace {

constexpr uint8_t kVersion = 1;

Status bad(std::string_view what) {
  return Status(StatusCode::kInvalidArgument, "pairing message: " + std::string(what));
}

void put_name(std::vector<uint8_t>& out, const std::string& name) {
  const size_t n = std::min(name.size(), kMaxDisplayName);
  out.push_back(static_cast<uint8_t>(n));
  out.insert(out.end(), name.begin(), name.begin() + static_cast<long>(n));
}

std::optional<std::string> get_name(ByteReader& r) {
  auto n = r.u8();
  if (!n)
    return std::nullopt;
  auto b = r.bytes(*n);
  if (!b)
    return std::nullopt;
  std::string s(b->begin(), b->end());
  if (!valid_display_name(s))
    return std::nullopt;
  return s;
}

template <size_t N>
bool get_array(ByteReader& r, std::array<uint8_t, N>& out) {
  auto b = r.bytes(N);
  if (!b)
    return false;
  std::copy(b->begin(), b->end(), out.begin());
  return true;
}

// Both names, length-prefixed, bound into the confirmation keys.
std::vector<uint8_t> make_aad(const std::string& client_name, const std::string& host_name) {
  static constexpr std::string_view kLabel = "punktfunk/1 pairing";
  std::vector<uint8_t> aad(kLabel.begin(), kLabel.end());
  put_name(aad, client_name);
  put_name(aad, host_name);
  return aad;
}

}  // namespace

std::string_view pair_status_text(PairStatus s) {
  switch (s) {
    case PairStatus::kOk:
      return "paired";
    case PairStatus::kWrongPin:
      return "wrong PIN: the host burned it; create a new PIN on the host and try again";
    case PairStatus::kNoPin:
      return "the host has no pairing PIN open: run `punktfunk-host pair` on the host first";
    case PairStatus::kLockedOut:
      return "too many failed pairing attempts: wait a minute";
    case PairStatus::kBadMessage:
      return "malformed pairing message";
    case PairStatus::kBusy:
      return "another pairing is in progress on the host";
    case PairStatus::kNotSaved:
      return "the host could not save the pairing (its disk is full or read-only): nothing was "
             "paired; see the host's log, then create a new PIN and try again";
  }
  return "unknown pairing status";
}

bool valid_display_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxDisplayName)
    return false;
  return std::none_of(name.begin(), name.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

PairMessage encode(const PairStart& m) {
  PairMessage out{kPairStartType, {kVersion}};
  out.body.insert(out.body.end(), m.share.begin(), m.share.end());
  put_name(out.body, m.name);
  return out;
}
PairMessage encode(const PairReply& m) {
  PairMessage out{kPairMessageType, {}};
  out.body.insert(out.body.end(), m.share.begin(), m.share.end());
  out.body.insert(out.body.end(), m.confirm.begin(), m.confirm.end());
  put_name(out.body, m.name);
  return out;
}
PairMessage encode(const PairConfirm& m) {
  return PairMessage{kPairMessageType, std::vector<uint8_t>(m.confirm.begin(), m.confirm.end())};
}
PairMessage encode(const PairResult& m) {
  PairMessage out{kPairResultType, {static_cast<uint8_t>(m.status)}};
  out.body.insert(out.body.end(), m.text.begin(), m.text.end());
  return out;
}

Result<PairStart> decode_pair_start(const PairMessage& m) {
  ByteReader r(m.body);
  PairStart s;
  auto v = r.u8();
  if (m.type != kPairStartType || !v)
    return tl::unexpected(bad("expected PairStart"));
  if (*v != kVersion)
    return tl::unexpected(bad("unsupported pairing version"));
  auto name = get_array(r, s.share) ? get_name(r) : std::nullopt;
  if (!name || !r.empty())
    return tl::unexpected(bad("PairStart is malformed"));
  s.name = std::move(*name);
  return s;
}

Result<PairReply> decode_pair_reply(const PairMessage& m) {
  ByteReader r(m.body);
  PairReply s;
  if (m.type != kPairMessageType || !get_array(r, s.share) || !get_array(r, s.confirm))
    return tl::unexpected(bad("the host's reply is malformed"));
  auto name = get_name(r);
  if (!name || !r.empty())
    return tl::unexpected(bad("the host's reply is malformed"));
  s.name = std::move(*name);
  return s;
}

Result<PairConfirm> decode_pair_confirm(const PairMessage& m) {
  ByteReader r(m.body);
  PairConfirm c;
  if (m.type != kPairMessageType || !get_array(r, c.confirm) || !r.empty())
    return tl::unexpected(bad("the confirmation is malformed"));
  return c;
}

Result<PairResult> decode_pair_result(const PairMessage& m) {
  // Statuses this side does not know are kept: they are failures, explained by the text.
  if (m.type != kPairResultType || m.body.empty() || m.body.size() > 1024)
    return tl::unexpected(bad("PairResult is malformed"));
  return PairResult{static_cast<PairStatus>(m.body[0]),
                    std::string(m.body.begin() + 1, m.body.end())};
}

// ---- client ----

PairingClient::PairingClient(crypto::Spake2 spake,
                             const Fingerprint& c,
                             const Fingerprint& h,
                             std::string name)
    : spake_(std::move(spake)), client_fp_(c), host_fp_(h), client_name_(std::move(name)) {
  start_ = encode(PairStart{spake_.share(), client_name_});
}

Result<PairingClient> PairingClient::start(std::string_view pin,
                                           const Fingerprint& client_fp,
                                           const Fingerprint& host_fp,
                                           std::string client_name) {
  if (!valid_display_name(client_name))
    return make_error(StatusCode::kInvalidArgument,
                      "the client name must be 1-64 bytes without control characters");
  auto spake =
      crypto::Spake2::create(crypto::Spake2::Role::kA, crypto::Spake2::password_scalar(pin));
  if (!spake)
    return tl::unexpected(spake.error());
  return PairingClient(std::move(*spake), client_fp, host_fp, std::move(client_name));
}

Result<PairMessage> PairingClient::on_reply(const PairMessage& reply) {
  auto r = decode_pair_reply(reply);
  if (!r)
    return tl::unexpected(r.error());
  const auto aad = make_aad(client_name_, r->name);
  auto keys = spake_.finish(r->share, client_fp_, host_fp_, aad);
  if (!keys)
    return tl::unexpected(keys.error());
  if (!crypto::constant_time_equal(keys->confirm_b, r->confirm))
    return make_error(StatusCode::kPermissionDenied,
                      "wrong PIN (or the host's certificate is not the one this client sees)");
  host_name_ = r->name;
  return encode(PairConfirm{keys->confirm_a});
}

// ---- host ----

Result<PairingHost> PairingHost::on_start(const PairMessage& start,
                                          std::string_view pin,
                                          const Fingerprint& client_fp,
                                          const Fingerprint& host_fp,
                                          std::string host_name) {
  auto s = decode_pair_start(start);
  if (!s)
    return tl::unexpected(s.error());
  if (!valid_display_name(host_name))
    host_name = "punktfunk host";
  auto spake =
      crypto::Spake2::create(crypto::Spake2::Role::kB, crypto::Spake2::password_scalar(pin));
  if (!spake)
    return tl::unexpected(spake.error());
  const auto aad = make_aad(s->name, host_name);
  auto keys = spake->finish(s->share, client_fp, host_fp, aad);
  if (!keys)
    return tl::unexpected(keys.error());
  PairingHost h;
  h.expected_ = keys->confirm_a;
  h.client_name_ = s->name;
  h.reply_ = encode(PairReply{spake->share(), keys->confirm_b, host_name});
  return h;
}

bool PairingHost::on_confirm(const PairMessage& confirm) const {
  auto c = decode_pair_confirm(confirm);
  return c && crypto::constant_time_equal(c->confirm, expected_);
}

}  // namespace pf::proto::native
