// SPDX-License-Identifier: MIT OR Apache-2.0
#include "session/pacing.h"

#include <gtest/gtest.h>

namespace pf::session {
namespace {

TEST(PacingTest, SmallRatesUseTheMinimumGroup) {
  // 20 Mbit/s: 0.5 ms is 1250 B, so groups are 16 KiB = 12 packets of 1456 B.
  const auto p = plan_pacing(100, 1456, 20'000'000);
  EXPECT_EQ(p.packets_per_group, 12u);
  EXPECT_EQ(p.groups, 9u);
  // 12 * 1456 * 8 bits at 20 Mbit/s = 6.9888 ms.
  EXPECT_EQ(p.interval_ns, 6'988'800u);
  EXPECT_EQ(p.offset_ns(2), 2 * 6'988'800u);
  EXPECT_EQ(p.span_ns(), 8 * 6'988'800u);
}

TEST(PacingTest, HighRatesUseHalfAMillisecondWindow) {
  // 10 Gbit/s: 0.5 ms is 625 000 B = 430 packets (rounded up).
  const auto p = plan_pacing(1000, 1456, 10'000'000'000ull);
  EXPECT_EQ(p.packets_per_group, 430u);
  EXPECT_EQ(p.groups, 3u);
  EXPECT_EQ(p.interval_ns, 430u * 1456 * 8 / 10);  // ns at 10 bit/ns
}

TEST(PacingTest, SpreadsAFrameOverItsLinkTime) {
  // Whatever the rate, the frame takes about its size / rate.
  for (uint64_t rate : {5'000'000ull, 100'000'000ull, 2'000'000'000ull, 40'000'000'000ull}) {
    for (size_t packets : {1u, 7u, 100u, 5000u}) {
      const auto p = plan_pacing(packets, 1456, rate);
      ASSERT_GE(p.groups, 1u);
      EXPECT_GE(p.packets_per_group * p.groups, packets);
      EXPECT_LT(p.packets_per_group * (p.groups - 1), packets);
      const double link_ns = packets * 1456.0 * 8 * 1e9 / rate;
      EXPECT_LE(static_cast<double>(p.span_ns()), link_ns + 1);
    }
  }
}

TEST(PacingTest, UnpacedAndEmpty) {
  const auto a = plan_pacing(50, 1456, 0);
  EXPECT_EQ(a.groups, 1u);
  EXPECT_EQ(a.packets_per_group, 50u);
  EXPECT_EQ(a.interval_ns, 0u);
  const auto b = plan_pacing(0, 1456, 1'000'000);
  EXPECT_EQ(b.groups, 0u);
  EXPECT_EQ(b.span_ns(), 0u);
  const auto c = plan_pacing(3, 1456, 1'000'000);  // fewer than a group
  EXPECT_EQ(c.groups, 1u);
  EXPECT_EQ(c.packets_per_group, 3u);
}

}  // namespace
}  // namespace pf::session
