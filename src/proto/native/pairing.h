// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "base/status.h"
#include "crypto/spake2.h"
#include "proto/native/control.h"

// punktfunk/1 PIN pairing (protocol section 2): SPAKE2 over P-256 with the
// PIN as password, the client as A and the host as B, the two certificate
// fingerprints as identities, both display names in the AAD, then key
// confirmation. Sans-I/O: both sides turn messages into messages.
//
//   C->H PairStart   (0x10): u8 version=1, pA[65], u8 name length, client name
//   H->C PairMessage (0x11): pB[65], cB[32], u8 name length, host name
//   C->H PairMessage (0x11): cA[32]
//   H->C PairResult  (0x12): u8 status, UTF-8 text
//
// Thread model: each object is used by one thread at a time.
namespace pf::proto::native {

inline constexpr uint8_t kPairStartType = 0x10;
inline constexpr uint8_t kPairMessageType = 0x11;
inline constexpr uint8_t kPairResultType = 0x12;
inline constexpr size_t kMaxDisplayName = 64;

enum class PairStatus : uint8_t {
  kOk = 0,
  kWrongPin = 1,    // confirmation failed: wrong PIN (or a changed certificate)
  kNoPin = 2,       // the host has no PIN open: create one on the host first
  kLockedOut = 3,   // too many failures from this client: wait a minute
  kBadMessage = 4,  // malformed pairing message
  kBusy = 5,        // another pairing is in progress
  kNotSaved = 6,    // right PIN, but the host could not store the pairing: nothing was paired
};
std::string_view pair_status_text(PairStatus s);

using Fingerprint = std::array<uint8_t, 32>;

struct PairStart {
  crypto::Spake2::Share share{};
  std::string name;
};
struct PairReply {
  crypto::Spake2::Share share{};
  std::array<uint8_t, 32> confirm{};
  std::string name;
};
struct PairConfirm {
  std::array<uint8_t, 32> confirm{};
};
struct PairResult {
  PairStatus status = PairStatus::kOk;
  std::string text;
};

PairMessage encode(const PairStart& m);
PairMessage encode(const PairReply& m);
PairMessage encode(const PairConfirm& m);
PairMessage encode(const PairResult& m);
// kInvalidArgument for a wrong type, a short body or a bad name.
Result<PairStart> decode_pair_start(const PairMessage& m);
Result<PairReply> decode_pair_reply(const PairMessage& m);
Result<PairConfirm> decode_pair_confirm(const PairMessage& m);
Result<PairResult> decode_pair_result(const PairMessage& m);

// A display name is 1..64 bytes of UTF-8 without control characters.
bool valid_display_name(std::string_view name);

// The client (A) side.
class PairingClient {
 public:
  static Result<PairingClient> start(std::string_view pin,
                                     const Fingerprint& client_fp,
                                     const Fingerprint& host_fp,
                                     std::string client_name);
  const PairMessage& first_message() const { return start_; }
  // The host's reply: checks cB, returns the confirmation to send.
  // kPermissionDenied "wrong PIN" if cB does not verify.
  Result<PairMessage> on_reply(const PairMessage& reply);
  const std::string& host_name() const { return host_name_; }

 private:
  PairingClient(crypto::Spake2 spake, const Fingerprint& c, const Fingerprint& h, std::string name);
  crypto::Spake2 spake_;
  Fingerprint client_fp_, host_fp_;
  std::string client_name_, host_name_;
  PairMessage start_;
};

// The host (B) side, created from the client's PairStart with the open PIN.
class PairingHost {
 public:
  static Result<PairingHost> on_start(const PairMessage& start,
                                      std::string_view pin,
                                      const Fingerprint& client_fp,
                                      const Fingerprint& host_fp,
                                      std::string host_name);
  const PairMessage& reply() const { return reply_; }
  const std::string& client_name() const { return client_name_; }
  // True if the client's confirmation proves it knew the PIN.
  bool on_confirm(const PairMessage& confirm) const;

 private:
  PairingHost() = default;
  std::array<uint8_t, 32> expected_{};
  std::string client_name_;
  PairMessage reply_;
};

}  // namespace pf::proto::native
