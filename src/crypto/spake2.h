// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "base/status.h"

// SPAKE2 (RFC 9382) over P-256 with SHA-256, HKDF-SHA256 and HMAC-SHA256,
// the suite punktfunk/1 pairing uses (protocol section 2). OpenSSL's EC
// primitives do the group arithmetic; this file only composes them as the
// RFC says: pA = x*G + w*M, pB = y*G + w*N, K = x*(pB - w*N) = y*(pA - w*M),
// TT = len(A)|A|len(B)|B|len(pA)|pA|len(pB)|pB|len(K)|K|len(w)|w (lengths
// as u64 little-endian, points as uncompressed SEC1, w as 32 bytes
// big-endian), Ke|Ka = SHA-256(TT), KcA|KcB = HKDF(Ka, "ConfirmationKeys"|AAD),
// cA = HMAC(KcA, TT), cB = HMAC(KcB, TT).
//
// Thread model: a Spake2 object is used by one thread at a time.
namespace pf::crypto {

class Spake2 {
 public:
  enum class Role { kA, kB };              // A uses M, B uses N
  using Scalar = std::array<uint8_t, 32>;  // big-endian, below the group order
  using Share = std::array<uint8_t, 65>;   // uncompressed SEC1 point
  struct Keys {
    std::array<uint8_t, 16> ke{};         // the shared secret
    std::array<uint8_t, 32> confirm_a{};  // cA: sent by A, checked by B
    std::array<uint8_t, 32> confirm_b{};  // cB: sent by B, checked by A
  };

  // `w` is the password scalar; `secret` is this side's ephemeral scalar
  // (random when absent; fixed only by known-answer tests).
  static Result<Spake2> create(Role role,
                               const Scalar& w,
                               const std::optional<Scalar>& secret = std::nullopt);
  // punktfunk/1's password-to-scalar map: SHA-512("punktfunk/1 pairing" ||
  // password) as a big-endian integer, reduced modulo the group order.
  static Scalar password_scalar(std::string_view password);

  Spake2(Spake2&&) noexcept;
  Spake2& operator=(Spake2&&) noexcept;
  ~Spake2();

  const Share& share() const { return share_; }

  // The key schedule, given the peer's share and both identities (A's and
  // B's, in that order, whichever side this is). kInvalidArgument if the
  // peer's share is not a point on the curve or leads to the identity.
  Result<Keys> finish(std::span<const uint8_t> peer_share,
                      std::span<const uint8_t> identity_a,
                      std::span<const uint8_t> identity_b,
                      std::span<const uint8_t> aad = {}) const;

 private:
  struct State;
  explicit Spake2(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
  Share share_{};
};

// Equality of two byte strings in time independent of where they differ.
bool constant_time_equal(std::span<const uint8_t> a, std::span<const uint8_t> b);

}  // namespace pf::crypto
