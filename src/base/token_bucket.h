// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <algorithm>
#include <cstdint>

// A token bucket: at most `burst` events at once, refilled at `per_second`.
// Sans-I/O (the caller passes the time). Thread model: not thread-safe.
namespace pf {

class TokenBucket {
 public:
  TokenBucket(double per_second, double burst)
      : rate_per_ns_(per_second / 1e9), burst_(burst), tokens_(burst) {}

  // Takes one token if there is one.
  bool take(int64_t now_ns) {
    if (last_ns_ != 0 && now_ns > last_ns_)
      tokens_ = std::min(burst_, tokens_ + static_cast<double>(now_ns - last_ns_) * rate_per_ns_);
    last_ns_ = std::max(last_ns_, now_ns);
    if (tokens_ < 1.0)
      return false;
    tokens_ -= 1.0;
    return true;
  }

 private:
  double rate_per_ns_, burst_, tokens_;
  int64_t last_ns_ = 0;
};

}  // namespace pf
