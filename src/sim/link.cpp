// SPDX-License-Identifier: MIT OR Apache-2.0
#include "sim/link.h"

#include <algorithm>
#include <limits>

namespace pf::sim {

LinkConfig bursty(double rate, double burst_len, uint64_t seed) {
  LinkConfig c;
  c.burst = true;
  c.seed = seed;
  c.loss_good = 0.0;
  c.loss_bad = 1.0;
  // Mean bad run = 1 / p_bad_good; stationary P(bad) = p_gb / (p_gb + p_bg).
  c.p_bad_good = burst_len > 1.0 ? 1.0 / burst_len : 1.0;
  c.p_good_bad = rate >= 1.0 ? 1.0 : rate * c.p_bad_good / (1.0 - rate);
  return c;
}

Link::Link(const LinkConfig& config) : config_(config), rng_(config.seed) {}

bool Link::lose() {
  if (!config_.burst)
    return config_.loss > 0.0 && unit_(rng_) < config_.loss;
  bad_ = bad_ ? unit_(rng_) >= config_.p_bad_good : unit_(rng_) < config_.p_good_bad;
  const double p = bad_ ? config_.loss_bad : config_.loss_good;
  return p > 0.0 && unit_(rng_) < p;
}

void Link::enqueue(std::span<const uint8_t> packet, uint64_t at_us) {
  size_t slot;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
  } else {
    slot = store_.size();
    store_.emplace_back();
  }
  store_[slot].assign(packet.begin(), packet.end());
  queue_.push(Entry{at_us, seq_++, slot});
}

void Link::send(std::span<const uint8_t> packet, uint64_t now_us) {
  ++stats_.sent;
  if (lose()) {
    ++stats_.dropped;
    return;
  }
  uint64_t at = now_us + config_.delay_us;
  if (config_.rate_bps > 0) {
    const double now = static_cast<double>(now_us);
    const double bytes_per_us = static_cast<double>(config_.rate_bps) / 8e6;
    const double waiting = busy_until_us_ > now ? (busy_until_us_ - now) * bytes_per_us : 0.0;
    if (waiting + static_cast<double>(packet.size()) > static_cast<double>(config_.queue_bytes)) {
      ++stats_.dropped;
      ++stats_.queue_dropped;
      return;
    }
    busy_until_us_ =
        std::max(busy_until_us_, now) + static_cast<double>(packet.size()) / bytes_per_us;
    at = static_cast<uint64_t>(busy_until_us_ + 0.5) + config_.delay_us;
  }
  if (config_.jitter_us > 0)
    at += rng_() % (config_.jitter_us + 1);
  if (config_.reorder > 0.0 && unit_(rng_) < config_.reorder) {
    at += config_.reorder_us;
    ++stats_.reordered;
  }
  enqueue(packet, at);
  if (config_.duplicate > 0.0 && unit_(rng_) < config_.duplicate) {
    ++stats_.duplicated;
    enqueue(packet, at + 1 + rng_() % (config_.reorder_us + 1));
  }
}

uint64_t Link::next_arrival_us() const {
  return queue_.empty() ? std::numeric_limits<uint64_t>::max() : queue_.top().at_us;
}

}  // namespace pf::sim
