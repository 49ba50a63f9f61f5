// SPDX-License-Identifier: MIT OR Apache-2.0
#include "base/clock.h"

#include <ctime>

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

namespace {
std::tm utc_tm() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}
}  // namespace

std::string utc_iso8601() {
  const std::tm tm = utc_tm();
  char buf[32];
  return std::string(buf, std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm));
}

std::string utc_compact() {
  const std::tm tm = utc_tm();
  char buf[32];
  return std::string(buf, std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm));
}

}  // namespace pf
