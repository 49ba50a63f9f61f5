// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/input/force_feedback.h"

#include <gtest/gtest.h>

namespace pf::host {
namespace {

FfEffect rumble(uint16_t strong, uint16_t weak, uint16_t length_ms, uint16_t delay_ms = 0) {
  return FfEffect{FfEffect::Kind::kRumble, strong, weak, length_ms, delay_ms};
}

TEST(FfTrackerTest, PlayRumbleThenItEnds) {
  FfTracker t;
  EXPECT_FALSE(t.poll(0));  // nothing yet
  t.on(FfUpload{0, rumble(0x8000, 0x4000, 300)}, 0);
  EXPECT_FALSE(t.poll(1));  // uploaded, not played
  t.on(FfPlay{0, 1}, 10);
  EXPECT_EQ(t.poll(10), (Rumble{0x8000, 0x4000, 300}));
  EXPECT_FALSE(t.poll(100));                  // unchanged, no refresh due
  EXPECT_EQ(t.poll(310), (Rumble{0, 0, 0}));  // its 300 ms are over: stop
  EXPECT_FALSE(t.poll(400));
}

TEST(FfTrackerTest, EndlessEffectsAreRefreshedAndNeverSentAsForever) {
  FfTracker t;
  t.on(FfUpload{3, rumble(0xFFFF, 0, 0)}, 0);
  t.on(FfPlay{3, 1}, 0);
  const auto first = t.poll(0);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->duration_ms, FfTracker::kMaxDurationMs);
  EXPECT_FALSE(t.poll(499));
  const auto again = t.poll(500);  // still on: said again before the last one runs out
  ASSERT_TRUE(again);
  EXPECT_EQ(again->low, 0xFFFF);
  t.on(FfPlay{3, 0}, 600);  // the game stops it
  EXPECT_EQ(t.poll(600), (Rumble{0, 0, 0}));
}

TEST(FfTrackerTest, DelayCountGainMixAndErase) {
  FfTracker t;
  t.on(FfUpload{0, rumble(0x1000, 0x2000, 100, 50)}, 0);
  t.on(FfUpload{1, rumble(0x3000, 0x0800, 1000)}, 0);
  t.on(FfPlay{0, 2}, 0);     // from 50 ms to 250 ms
  EXPECT_FALSE(t.poll(20));  // delayed
  EXPECT_EQ(t.poll(50), (Rumble{0x1000, 0x2000, 200}));
  t.on(FfPlay{1, 1}, 60);
  EXPECT_EQ(t.poll(60), (Rumble{0x3000, 0x2000, 190}));  // the stronger of each motor
  t.on(FfGain{0x8000}, 70);
  EXPECT_EQ(t.poll(70), (Rumble{0x1800, 0x1000, 180}));
  t.on(FfErase{1}, 80);
  EXPECT_EQ(t.poll(80), (Rumble{0x0800, 0x1000, 170}));
  t.on(FfPlay{7, 1}, 90);  // no such effect: nothing
  EXPECT_FALSE(t.poll(90));
}

TEST(FfTrackerTest, OtherEffectKindsDoNotRumble) {
  FfTracker t;
  t.on(FfUpload{0, FfEffect{FfEffect::Kind::kOther, 0xFFFF, 0xFFFF, 100, 0}}, 0);
  t.on(FfPlay{0, 1}, 0);
  EXPECT_FALSE(t.poll(0));
}

}  // namespace
}  // namespace pf::host
