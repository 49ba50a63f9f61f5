// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <cstdint>

// Anti-replay for sealed packets (punktfunk-protocol.md section 4): accepts each
// packet number once, and none older than the newest minus 131072. A fixed
// 16 KiB bitmap: memory does not depend on the input. Thread model: not
// thread-safe; one per receiving session. Call check() before decrypting and
// accept() only after the tag verified, so forged packets cannot move it.
namespace pf::session {

class ReplayWindow {
 public:
  static constexpr uint64_t kSize = 131072;

  enum class Verdict { kNew, kDuplicate, kTooOld };

  Verdict check(uint64_t pn) const;
  // Marks pn as seen (after authentication). Returns check(pn) as it was.
  Verdict accept(uint64_t pn);

  uint64_t newest() const { return newest_; }

 private:
  bool test(uint64_t pn) const { return bits_[(pn / 64) % kWords] >> (pn % 64) & 1; }
  static constexpr uint64_t kWords = kSize / 64;
  std::array<uint64_t, kWords> bits_{};
  uint64_t newest_ = 0;
  bool any_ = false;
};

}  // namespace pf::session
