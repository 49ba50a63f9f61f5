// SPDX-License-Identifier: MIT OR Apache-2.0
#include "sweep.h"

#include <gtest/gtest.h>

namespace pf::tools {
namespace {

TEST(LossHarnessTest, NoLossDeliversEverything) {
  Cell c;
  c.frames = 50;
  const auto r = run_cell(c);
  EXPECT_EQ(r.frames_intact, 50u);
  EXPECT_EQ(r.packets_dropped, 0u);
  EXPECT_EQ(r.shards_recovered, 0u);
  EXPECT_GT(r.tx_us_per_frame, 0.0);
}

TEST(LossHarnessTest, MoreParityDeliversMore) {
  Cell c;
  c.frames = 200;
  c.loss = 0.10;
  c.frame_bytes = 50'000;
  c.fec_percent = 5;
  const auto weak = run_cell(c);
  c.fec_percent = 50;
  const auto strong = run_cell(c);
  EXPECT_LT(weak.delivered_percent(), 50.0);
  EXPECT_GT(strong.delivered_percent(), 99.0);
  EXPECT_EQ(weak.frames_corrupt + strong.frames_corrupt, 0u);
  EXPECT_EQ(weak.frames_intact + weak.frames_lost, 200u);
}

TEST(LossHarnessTest, BurstyLossIsHarderThanUniformAtTheSameRate) {
  Cell c;
  c.frames = 2000;
  c.loss = 0.05;
  c.fec_percent = 20;
  c.frame_bytes = 30'000;
  const auto uniform = run_cell(c);
  c.model = LossModel::kBursty;
  c.burst_len = 10;
  const auto bursty = run_cell(c);
  EXPECT_LT(bursty.delivered_percent(), uniform.delivered_percent());
  EXPECT_NEAR(double(bursty.packets_dropped) / bursty.packets_sent, 0.05, 0.015);
}

}  // namespace
}  // namespace pf::tools
