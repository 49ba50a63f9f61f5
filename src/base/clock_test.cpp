// SPDX-License-Identifier: MIT OR Apache-2.0
#include "base/clock.h"

#include <regex>

#include <gtest/gtest.h>

namespace pf {
namespace {

TEST(ClockTest, SteadyClockIsMonotonic) {
  Clock& c = SteadyClock::instance();
  int64_t prev = c.now_ns();
  EXPECT_GT(prev, 0);
  for (int i = 0; i < 1000; ++i) {
    int64_t now = c.now_ns();
    EXPECT_GE(now, prev);
    prev = now;
  }
}

TEST(ClockTest, FakeClockMovesOnlyWhenTold) {
  FakeClock c(1000);
  const Clock& view = c;
  EXPECT_EQ(view.now_ns(), 1000);
  EXPECT_EQ(view.now_ns(), 1000);
  c.advance_ns(500);
  EXPECT_EQ(view.now_ns(), 1500);
  c.set_ns(7);
  EXPECT_EQ(view.now_ns(), 7);
}

TEST(ClockTest, UtcStampsHaveTheirFormats) {
  EXPECT_TRUE(
      std::regex_match(utc_iso8601(), std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)")));
  EXPECT_TRUE(std::regex_match(utc_compact(), std::regex(R"(\d{8}T\d{6}Z)")));
}

}  // namespace
}  // namespace pf
