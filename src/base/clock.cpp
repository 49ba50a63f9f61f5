// SPDX-License-Identifier: MIT OR Apache-2.0
#include "base/clock.h"

#include <time.h>

namespace pf {

int64_t SteadyClock::now_ns() const {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

SteadyClock& SteadyClock::instance() {
  static SteadyClock clock;
  return clock;
}

}  // namespace pf
