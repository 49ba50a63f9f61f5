// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/app/cursor_state.h"

#include <gtest/gtest.h>

namespace pf::client {
namespace {

namespace pn = pf::proto::native;

pn::CursorShape shape(uint32_t serial) {
  return pn::CursorShape{serial, 2, 2, 0, 0, std::vector<uint8_t>(16, 0xFF)};
}

TEST(CursorStateTest, NothingToDrawBeforeAPosition) {
  CursorState c;
  c.on_shape(shape(1));
  EXPECT_FALSE(c.snapshot().visible);
  EXPECT_EQ(c.shapes(), 1u);
}

TEST(CursorStateTest, TheNewestFrameWinsOverLateDatagrams) {
  CursorState c;
  c.on_shape(shape(1));
  c.on_position({10, 1, 100, 200, pn::kCursorVisible});
  c.on_position({9, 1, 5, 5, pn::kCursorVisible});  // late: ignored
  auto s = c.snapshot();
  EXPECT_TRUE(s.visible);
  EXPECT_EQ(s.x, 100);
  EXPECT_EQ(s.y, 200);
  c.on_position({11, 1, 101, 200, 0});  // hidden
  EXPECT_FALSE(c.snapshot().visible);
  EXPECT_EQ(c.positions(), 3u);
  EXPECT_NE(c.summary().find("3 positions (1 stale)"), std::string::npos) << c.summary();
  // Frame indices wrap: 0x00000002 comes after 0xFFFFFFFE.
  CursorState w;
  w.on_shape(shape(1));
  w.on_position({0xFFFFFFFE, 1, 1, 1, pn::kCursorVisible});
  w.on_position({2, 1, 7, 7, pn::kCursorVisible});
  EXPECT_EQ(w.snapshot().x, 7);
}

TEST(CursorStateTest, APositionBeforeAnyShapeDrawsNothing) {
  CursorState c;
  c.on_position({1, 5, 1, 1, pn::kCursorVisible});
  EXPECT_FALSE(c.snapshot().visible);  // the shape has not arrived yet
  c.on_shape(shape(5));
  EXPECT_TRUE(c.snapshot().visible);
}

}  // namespace
}  // namespace pf::client
