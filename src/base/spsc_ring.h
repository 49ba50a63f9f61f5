// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace pf {

// A bounded single-producer single-consumer ring of pre-allocated slots that
// are filled and read in place: the producer claims the next free slot,
// writes into it and publishes it; the consumer peeks at the oldest published
// slot, reads it in place and pops it. Nothing is copied or allocated after
// construction, and no call blocks (waiting is the caller's business).
//
// Thread model: exactly one producer thread (claim/publish) and one consumer
// thread (peek/pop/size) at a time; slots are handed over with
// acquire/release ordering on the two indices.
template <typename T>
class SpscRing {
 public:
  explicit SpscRing(size_t capacity)
      : capacity_(capacity == 0 ? 1 : capacity), slots_(std::make_unique<T[]>(capacity_)) {}
  SpscRing(const SpscRing&) = delete;
  SpscRing& operator=(const SpscRing&) = delete;

  size_t capacity() const { return capacity_; }

  // Producer: the slot to fill next, or nullptr when every slot is published
  // and not yet popped. Claiming twice without publishing returns the same slot.
  T* claim() {
    const uint64_t w = write_.load(std::memory_order_relaxed);
    if (w - read_.load(std::memory_order_acquire) >= capacity_)
      return nullptr;
    return &slots_[w % capacity_];
  }
  // Producer: makes the claimed slot visible to the consumer.
  void publish() {
    write_.store(write_.load(std::memory_order_relaxed) + 1, std::memory_order_release);
  }

  // Consumer: the oldest published slot, or nullptr when the ring is empty.
  T* peek() {
    const uint64_t r = read_.load(std::memory_order_relaxed);
    if (r == write_.load(std::memory_order_acquire))
      return nullptr;
    return &slots_[r % capacity_];
  }
  // Consumer: hands the peeked slot back to the producer.
  void pop() { read_.store(read_.load(std::memory_order_relaxed) + 1, std::memory_order_release); }

  // Consumer: how many published slots wait to be read.
  size_t size() const {
    return static_cast<size_t>(write_.load(std::memory_order_acquire) -
                               read_.load(std::memory_order_relaxed));
  }

 private:
  const size_t capacity_;
  std::unique_ptr<T[]> slots_;
  alignas(64) std::atomic<uint64_t> write_{0};
  alignas(64) std::atomic<uint64_t> read_{0};
};

}  // namespace pf
