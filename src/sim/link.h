// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <queue>
#include <random>
#include <span>
#include <vector>

// An in-process network link for tests and tools: packets in, packets out at
// their arrival time, with uniform or Gilbert-Elliott (bursty) loss,
// duplication, reordering, fixed delay, jitter and a rate limit. Deterministic for a seed.
// Sans-I/O: the caller passes the time. Thread model: not thread-safe.
namespace pf::sim {

struct LinkConfig {
  double loss = 0.0;  // uniform drop probability (used when burst is off)
  // Gilbert-Elliott: a two-state chain; each packet first moves the state
  // (good->bad with p_good_bad, bad->good with p_bad_good), then is lost
  // with the state's loss probability. Mean loss =
  // (p_gb * loss_bad + p_bg * loss_good) / (p_gb + p_bg).
  bool burst = false;
  double p_good_bad = 0.0, p_bad_good = 0.0;
  double loss_good = 0.0, loss_bad = 1.0;
  double duplicate = 0.0;     // probability a delivered packet arrives twice
  double reorder = 0.0;       // probability a packet is held back ...
  uint64_t reorder_us = 500;  // ... by this much extra delay
  uint64_t delay_us = 0;
  uint64_t jitter_us = 0;  // uniform extra delay in [0, jitter_us]
  // A bottleneck in front of the delay: packets leave at `rate_bps` one after
  // another (0 = unlimited); one that would find more than `queue_bytes`
  // waiting ahead of it is dropped (drop-tail, counted as queue_dropped).
  uint64_t rate_bps = 0;
  size_t queue_bytes = 64 * 1024;
  uint64_t seed = 1;
};

// Gilbert-Elliott loss config with mean loss `rate` and mean burst length
// `burst_len` packets (loss_bad = 1, loss_good = 0).
LinkConfig bursty(double rate, double burst_len, uint64_t seed = 1);

struct LinkStats {
  uint64_t sent = 0, dropped = 0, duplicated = 0, reordered = 0, delivered = 0;
  uint64_t queue_dropped = 0;  // of `dropped`: the rate limit's queue was full
};

class Link {
 public:
  explicit Link(const LinkConfig& config);

  void send(std::span<const uint8_t> packet, uint64_t now_us);

  // Calls fn(std::span<const uint8_t>) for every packet due by now_us, in
  // arrival order (ties in send order). Returns how many.
  template <typename Fn>
  size_t deliver(uint64_t now_us, Fn&& fn) {
    size_t n = 0;
    while (!queue_.empty() && queue_.top().at_us <= now_us) {
      const Entry e = queue_.top();
      queue_.pop();
      fn(std::span<const uint8_t>(store_[e.slot]));
      free_.push_back(e.slot);
      ++stats_.delivered;
      ++n;
    }
    return n;
  }

  // The arrival time of the next packet, or UINT64_MAX if none is queued.
  uint64_t next_arrival_us() const;
  size_t in_flight() const { return queue_.size(); }
  const LinkStats& stats() const { return stats_; }

 private:
  struct Entry {
    uint64_t at_us, seq;
    size_t slot;
    bool operator>(const Entry& o) const {
      return at_us != o.at_us ? at_us > o.at_us : seq > o.seq;
    }
  };
  bool lose();
  void enqueue(std::span<const uint8_t> packet, uint64_t at_us);

  LinkConfig config_;
  std::mt19937_64 rng_;
  std::uniform_real_distribution<double> unit_{0.0, 1.0};
  bool bad_ = false;
  uint64_t seq_ = 0;
  double busy_until_us_ = 0;  // the bottleneck sends until then
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> queue_;
  std::vector<std::vector<uint8_t>> store_;
  std::vector<size_t> free_;
  LinkStats stats_;
};

}  // namespace pf::sim
