// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace pf {

// The one injectable monotonic clock. Protocol cores take a Clock& (or a
// `now_ns` argument) and never read the system clock themselves, so tests can
// run them on virtual time.
class Clock {
 public:
  virtual ~Clock() = default;
  // Nanoseconds on a monotonic timeline with an arbitrary origin.
  virtual int64_t now_ns() const = 0;
};

// The real clock: CLOCK_MONOTONIC. Thread-safe.
class SteadyClock final : public Clock {
 public:
  int64_t now_ns() const override;
  // A process-wide instance.
  static SteadyClock& instance();
};

// A clock that moves only when told to. Thread-safe (atomic), so a test may
// advance it from one thread while a component reads it from another.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_ns = 0) : now_ns_(start_ns) {}
  int64_t now_ns() const override { return now_ns_.load(std::memory_order_acquire); }
  void advance_ns(int64_t delta_ns) { now_ns_.fetch_add(delta_ns, std::memory_order_acq_rel); }
  void set_ns(int64_t t_ns) { now_ns_.store(t_ns, std::memory_order_release); }

 private:
  std::atomic<int64_t> now_ns_;
};

// The current wall-clock time in UTC: "2026-11-25T21:52:37Z" (ISO 8601, in
// state files) and "20261125T215237Z" (in file names).
std::string utc_iso8601();
std::string utc_compact();

}  // namespace pf
