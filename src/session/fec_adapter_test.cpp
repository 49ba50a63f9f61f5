// SPDX-License-Identifier: MIT OR Apache-2.0
#include "session/fec_adapter.h"

#include <gtest/gtest.h>

namespace pf::session {
namespace {

LossReport report(uint32_t received, uint32_t lost, uint32_t frames_lost = 0) {
  LossReport r;
  r.packets_received = received;
  r.shards_lost = lost;
  r.frames_received = 60;
  r.frames_lost = frames_lost;
  return r;
}

TEST(FecAdapterTest, RaisesAtOnceOnLossAndDecaysOnePointPerReport) {
  FecAdapter a(20);
  EXPECT_EQ(a.on_report(report(9500, 500)), 20u);  // 5 % loss: 3 x 5 + 5
  EXPECT_NEAR(a.last_loss(), 0.05, 1e-9);
  EXPECT_EQ(a.on_report(report(9000, 1000)), 35u);  // 10 %: up in one step
  // Clean again: one point per report, down to the floor.
  for (unsigned want = 34; want >= 5; --want)
    ASSERT_EQ(a.on_report(report(10000, 0)), want);
  EXPECT_EQ(a.on_report(report(10000, 0)), FecAdapter::kMin);
}

TEST(FecAdapterTest, LostFramesRaiseSharplyAndEverythingIsClamped) {
  FecAdapter a(10);
  EXPECT_EQ(a.on_report(report(10000, 10, /*frames_lost=*/2)), 15u);  // x1.5
  EXPECT_EQ(a.on_report(report(10000, 10, 2)), 22u);
  EXPECT_EQ(a.on_report(report(10000, 10, 2)), 32u);  // x1.5, but +10 at most
  EXPECT_EQ(a.on_report(report(10000, 10, 2)), 42u);
  EXPECT_EQ(a.on_report(report(10000, 10, 2)), 50u);
  EXPECT_EQ(a.on_report(report(5000, 5000)), FecAdapter::kMax);  // 50 % loss
  EXPECT_EQ(FecAdapter(0).percent(), FecAdapter::kMin);
  EXPECT_EQ(FecAdapter(90).percent(), FecAdapter::kMax);
}

TEST(FecAdapterTest, AnIdleIntervalChangesNothing) {
  FecAdapter a(25);
  EXPECT_EQ(a.on_report(report(0, 0)), 25u);
}

}  // namespace
}  // namespace pf::session
