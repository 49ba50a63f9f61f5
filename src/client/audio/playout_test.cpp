// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/audio/playout.h"

#include <gtest/gtest.h>

namespace pf::client {
namespace {

constexpr int64_t kMs = 1'000'000;
constexpr size_t k5ms = 240;  // one host packet

TEST(PlayoutTest, StartsOnceTheTargetIsQueued) {
  Playout p;
  EXPECT_DOUBLE_EQ(p.target_ms(), 10.0);
  auto d = p.on_packet(1 * kMs, k5ms, 0);  // 5 ms: not yet
  EXPECT_TRUE(d.queue);
  EXPECT_FALSE(d.start);
  d = p.on_packet(6 * kMs, k5ms, k5ms);  // 10 ms: go
  EXPECT_TRUE(d.queue);
  EXPECT_TRUE(d.start);
  EXPECT_TRUE(p.playing());
}

TEST(PlayoutTest, AnUnderrunHoldsPlaybackUntilRefilled) {
  Playout p;
  p.on_packet(1 * kMs, k5ms, 0);
  p.on_packet(6 * kMs, k5ms, k5ms);
  auto d = p.on_packet(40 * kMs, k5ms, 0);  // late, and the device ran dry
  EXPECT_TRUE(d.pause);
  EXPECT_FALSE(d.start);
  EXPECT_EQ(p.underruns(), 1u);
  EXPECT_GT(p.target_ms(), 10.0);  // the late packet raised the jitter estimate
  // Refill to the (higher) target before playing again.
  size_t queued = k5ms;
  int64_t t = 45 * kMs;
  bool started = false;
  for (int i = 0; i < 20 && !started; ++i, t += 5 * kMs, queued += k5ms)
    started = p.on_packet(t, k5ms, queued).start;
  EXPECT_TRUE(started);
  EXPECT_GE(static_cast<double>(queued) * 1000 / 48000, p.target_ms() - 5.0);
}

TEST(PlayoutTest, SteadyPacketsKeepJitterLowAndExcessIsDropped) {
  Playout p;
  int64_t t = 0;
  for (int i = 0; i < 200; ++i, t += 5 * kMs)
    p.on_packet(t, k5ms, 2 * k5ms);
  EXPECT_LT(p.jitter_ms(), 0.01);
  EXPECT_DOUBLE_EQ(p.target_ms(), 10.0);
  // 40 ms waiting with a 10 ms target: latency crept up, drop.
  auto d = p.on_packet(t, k5ms, 8 * k5ms);
  EXPECT_FALSE(d.queue);
  EXPECT_EQ(p.dropped(), 1u);
  EXPECT_TRUE(p.on_packet(t + 5 * kMs, k5ms, 4 * k5ms).queue);  // 20 ms: within bounds
}

TEST(PlayoutTest, JitterRaisesTheTargetWithinBounds) {
  Playout p;
  int64_t t = 0;
  for (int i = 0; i < 400; ++i) {
    t += (i % 2 ? 1 : 9) * kMs;  // 5 ms average, +-4 ms
    p.on_packet(t, k5ms, 4 * k5ms);
  }
  EXPECT_NEAR(p.jitter_ms(), 4.0, 0.5);
  EXPECT_NEAR(p.target_ms(), 22.0, 1.5);
  for (int i = 0; i < 400; ++i) {
    t += (i % 2 ? 1 : 99) * kMs;  // wild
    p.on_packet(t, k5ms, 4 * k5ms);
  }
  EXPECT_DOUBLE_EQ(p.target_ms(), 80.0);  // capped
}

}  // namespace
}  // namespace pf::client
