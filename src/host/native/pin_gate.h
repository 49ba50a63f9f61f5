// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

// The host's punktfunk/1 pairing PIN (protocol section 2): the host user
// opens a 6-digit PIN, valid for 120 s and for ONE attempt (taking it burns
// it); a client address that fails 5 times within a minute is refused for a
// minute, and each time it comes back to fail again within a day for twice as
// long (at most 64 minutes): a neighbour trying PINs in a loop — each attempt
// spends the user's PIN — gets a handful per hour. Time is passed in; the
// random source is injected. Thread-safe.
namespace pf::host::native {

class PinGate {
 public:
  static constexpr int64_t kPinLifetimeNs = 120'000'000'000;
  static constexpr int kMaxFailures = 5;
  static constexpr int64_t kFailureWindowNs = 60'000'000'000;
  static constexpr int64_t kLockoutNs = 60'000'000'000;            // the first; doubling after
  static constexpr int kMaxDoublings = 6;                          // 64 minutes at the most
  static constexpr int64_t kLockoutMemoryNs = 86'400'000'000'000;  // a clean day forgives

  // `random_u32` supplies uniform random numbers (the crypto RNG in production).
  explicit PinGate(std::function<uint32_t()> random_u32) : random_(std::move(random_u32)) {}

  // Opens a new PIN (replacing an open one) and returns it.
  std::string open(int64_t now_ns);
  // The open PIN, if any and still valid, without taking it (for display).
  std::optional<std::string> peek(int64_t now_ns) const;
  // Takes the PIN for one attempt: it is gone afterwards, whatever happens.
  std::optional<std::string> take(int64_t now_ns);
  void record_failure(const std::string& who, int64_t now_ns);
  bool locked_out(const std::string& who, int64_t now_ns) const;

 private:
  mutable std::mutex mu_;
  std::function<uint32_t()> random_;
  std::optional<std::string> pin_;
  int64_t pin_expires_ns_ = 0;
  std::map<std::string, std::vector<int64_t>> failures_;
  struct Lockout {
    int64_t until_ns = 0, last_ns = 0;
    int count = 0;  // lockouts within kLockoutMemoryNs of each other
  };
  std::map<std::string, Lockout> lockouts_;
};

}  // namespace pf::host::native
