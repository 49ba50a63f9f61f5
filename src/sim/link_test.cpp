// SPDX-License-Identifier: MIT OR Apache-2.0
#include "sim/link.h"

#include <cstring>
#include <vector>

#include <gtest/gtest.h>

namespace pf::sim {
namespace {

std::vector<uint8_t> packet(uint32_t n) {
  std::vector<uint8_t> p(8);
  std::memcpy(p.data(), &n, 4);
  return p;
}

uint32_t id(std::span<const uint8_t> p) {
  uint32_t n;
  std::memcpy(&n, p.data(), 4);
  return n;
}

// Sends n packets 1 us apart and returns the ids in arrival order.
std::vector<uint32_t> run(Link& link, uint32_t n) {
  std::vector<uint32_t> got;
  for (uint32_t i = 0; i < n; ++i) {
    link.send(packet(i), i);
    link.deliver(i, [&](std::span<const uint8_t> p) { got.push_back(id(p)); });
  }
  link.deliver(UINT64_MAX, [&](std::span<const uint8_t> p) { got.push_back(id(p)); });
  return got;
}

TEST(LinkTest, PerfectLinkDeliversEverythingInOrder) {
  Link link({});
  const auto got = run(link, 1000);
  ASSERT_EQ(got.size(), 1000u);
  for (uint32_t i = 0; i < 1000; ++i)
    EXPECT_EQ(got[i], i);
  EXPECT_EQ(link.stats().delivered, 1000u);
  EXPECT_EQ(link.in_flight(), 0u);
}

TEST(LinkTest, UniformLossMatchesRate) {
  LinkConfig c;
  c.loss = 0.05;
  Link link(c);
  const auto got = run(link, 200'000);
  const double rate = 1.0 - got.size() / 200'000.0;
  EXPECT_NEAR(rate, 0.05, 0.003);
  EXPECT_EQ(link.stats().dropped + got.size(), 200'000u);
}

TEST(LinkTest, BurstyLossHasMeanRateAndLongRuns) {
  Link link(bursty(0.05, 8.0, 7));
  const auto got = run(link, 400'000);
  const double rate = 1.0 - got.size() / 400'000.0;
  EXPECT_NEAR(rate, 0.05, 0.006);
  // Mean length of runs of consecutive losses.
  uint64_t runs = 0, lost = 0;
  uint32_t expect = 0;
  for (uint32_t g : got) {
    if (g != expect) {
      ++runs;
      lost += g - expect;
    }
    expect = g + 1;
  }
  ASSERT_GT(runs, 0u);
  EXPECT_NEAR(static_cast<double>(lost) / runs, 8.0, 1.0);
}

TEST(LinkTest, SameSeedSameLosses) {
  LinkConfig c;
  c.loss = 0.1;
  c.seed = 42;
  Link a(c), b(c);
  EXPECT_EQ(run(a, 10'000), run(b, 10'000));
  c.seed = 43;
  Link d(c);
  Link e(LinkConfig{.loss = 0.1, .seed = 42});
  EXPECT_NE(run(d, 10'000), run(e, 10'000));
}

TEST(LinkTest, ReorderAndDuplicate) {
  LinkConfig c;
  c.reorder = 0.1;
  c.reorder_us = 50;
  c.duplicate = 0.05;
  Link link(c);
  const auto got = run(link, 10'000);
  EXPECT_EQ(got.size(), 10'000u + link.stats().duplicated);
  EXPECT_GT(link.stats().duplicated, 300u);
  size_t out_of_order = 0;
  for (size_t i = 1; i < got.size(); ++i)
    out_of_order += got[i] < got[i - 1];
  EXPECT_GT(out_of_order, 500u);
}

TEST(LinkTest, DelayHoldsPacketsUntilDue) {
  LinkConfig c;
  c.delay_us = 1000;
  Link link(c);
  link.send(packet(1), 0);
  size_t n = link.deliver(999, [](auto) {});
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(link.next_arrival_us(), 1000u);
  n = link.deliver(1000, [](auto) {});
  EXPECT_EQ(n, 1u);
}

TEST(LinkTest, RateLimitSpacesPacketsAndDropsWhenTheQueueIsFull) {
  LinkConfig c;
  c.rate_bps = 8'000'000;  // 1 byte per microsecond
  c.queue_bytes = 50'000;
  c.delay_us = 100;
  Link link(c);
  const std::vector<uint8_t> p(1000);
  for (int i = 0; i < 100; ++i)
    link.send(p, 0);  // a burst of 100 kB into a 50 kB queue
  EXPECT_EQ(link.stats().queue_dropped, 50u);
  EXPECT_EQ(link.stats().dropped, 50u);
  std::vector<uint64_t> arrivals;
  for (uint64_t t = 0; t <= 60'000; ++t)
    link.deliver(t, [&](auto) { arrivals.push_back(t); });
  ASSERT_EQ(arrivals.size(), 50u);
  for (size_t k = 0; k < arrivals.size(); ++k)
    EXPECT_EQ(arrivals[k], (k + 1) * 1000 + 100) << k;  // serialized at the rate, then delayed
  // A sender at the rate loses nothing; the link is idle again after the burst.
  for (uint64_t t = 100'000; t < 200'000; t += 1000)
    link.send(p, t);
  EXPECT_EQ(link.stats().queue_dropped, 50u);
}

}  // namespace
}  // namespace pf::sim
