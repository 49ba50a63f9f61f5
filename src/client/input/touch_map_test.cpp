// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/input/touch_map.h"

#include <limits>

#include <gtest/gtest.h>

namespace pf::client {
namespace {

using Phase = TouchMap::Phase;

TEST(TouchMapTest, FingersBecomeSmallContactIds) {
  TouchMap t;
  auto a = t.on(Phase::kDown, 0x7000'0000'0001, 0.5f, 0.25f);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->kind, 12);
  EXPECT_EQ(a->code, 0u);
  EXPECT_EQ(a->x, 32768);
  EXPECT_EQ(a->y, 16384);
  EXPECT_EQ(a->flags, 0u);
  auto b = t.on(Phase::kDown, 42, 1.5f, -1.f);  // clamped to the display
  ASSERT_TRUE(b);
  EXPECT_EQ(b->code, 1u);
  EXPECT_EQ(b->x, 65535);
  EXPECT_EQ(b->y, 0);
  auto m = t.on(Phase::kMove, 0x7000'0000'0001, 0.f, 1.f);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->code, 0u);
  EXPECT_EQ(m->flags, 1u);
  auto up = t.on(Phase::kUp, 0x7000'0000'0001, 0.f, 1.f);
  ASSERT_TRUE(up);
  EXPECT_EQ(up->flags, 2u);
  EXPECT_EQ(t.active(), 1u);
  // Contact 0 is free again.
  EXPECT_EQ(t.on(Phase::kDown, 7, 0.f, 0.f)->code, 0u);
}

TEST(TouchMapTest, UnknownFingersAndAnEleventhAreDropped) {
  TouchMap t;
  EXPECT_FALSE(t.on(Phase::kMove, 5, 0.5f, 0.5f));
  EXPECT_FALSE(t.on(Phase::kUp, 5, 0.5f, 0.5f));
  for (int64_t f = 0; f < 10; ++f)
    ASSERT_TRUE(t.on(Phase::kDown, f, 0.1f, 0.1f));
  EXPECT_FALSE(t.on(Phase::kDown, 99, 0.1f, 0.1f));
  EXPECT_EQ(t.active(), 10u);
  EXPECT_EQ(t.on(Phase::kMove, 3, std::numeric_limits<float>::quiet_NaN(), 0.f)->x, 0);
}

}  // namespace
}  // namespace pf::client
