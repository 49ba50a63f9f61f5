// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/input/pointer_mode.h"

#include <gtest/gtest.h>

namespace pf::client {
namespace {

namespace pn = proto::native;

TEST(PointerModeTest, FreePointerSendsAbsolutePositions) {
  PointerMode m(false);
  EXPECT_FALSE(m.captured());
  auto d = m.motion(639, 0, 5, -3, 640, 480);
  EXPECT_EQ(d.kind, static_cast<uint8_t>(pn::InputKind::kMouseAbsolute));
  EXPECT_EQ(d.x, 65535);
  EXPECT_EQ(d.y, 0);
  EXPECT_EQ(m.motion(-20, 9999, 0, 0, 640, 480).y, 65535);  // clamped to the window
  bool forward = false;
  EXPECT_FALSE(m.click(&forward));  // without capture-on-click a click is just a click
  EXPECT_TRUE(forward);
  EXPECT_FALSE(m.captured());
}

TEST(PointerModeTest, CapturedPointerSendsRelativeMotion) {
  PointerMode m(false);
  EXPECT_TRUE(m.toggle());  // Ctrl+Alt+Shift+Z
  EXPECT_TRUE(m.captured());
  auto d = m.motion(100, 100, 7, -4, 640, 480);
  EXPECT_EQ(d.kind, static_cast<uint8_t>(pn::InputKind::kMouseRelative));
  EXPECT_EQ(d.x, 7);
  EXPECT_EQ(d.y, -4);
  bool forward = false;
  EXPECT_FALSE(m.click(&forward));  // captured: clicks go to the game
  EXPECT_TRUE(forward);
  EXPECT_TRUE(m.focus_lost());  // alt-tab away: let go
  EXPECT_FALSE(m.captured());
  EXPECT_FALSE(m.focus_lost());
}

TEST(PointerModeTest, CaptureOnClickSwallowsTheGrabbingClick) {
  PointerMode m(true);
  bool forward = true;
  EXPECT_TRUE(m.click(&forward));
  EXPECT_FALSE(forward);
  EXPECT_TRUE(m.captured());
  EXPECT_FALSE(m.click(&forward));
  EXPECT_TRUE(forward);
  EXPECT_TRUE(m.toggle());  // released by the hotkey
  EXPECT_FALSE(m.captured());
}

}  // namespace
}  // namespace pf::client
