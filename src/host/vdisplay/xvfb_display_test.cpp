// SPDX-License-Identifier: MIT OR Apache-2.0
// A real Xvfb: create at 1280x720, resize to 1920x1080, destroy, and no
// process is left behind.
#include "host/vdisplay/xvfb_display.h"

#include <signal.h>

#include <cerrno>

#include <gtest/gtest.h>

#include "host/capture/x11_capture.h"

namespace pf::host {
namespace {

TEST(XvfbDisplayTest, ProbeFindsXvfb) {
  const auto v = XvfbDisplay::probe();
  EXPECT_TRUE(v.available) << v.reason;
}

TEST(XvfbDisplayTest, LifecycleCreateResizeDestroy) {
  auto d = XvfbDisplay::create({1280, 720, 60});
  ASSERT_TRUE(d) << d.error().to_string();
  const std::string addr = (*d)->address();
  EXPECT_EQ(addr[0], ':');
  const pid_t first = (*d)->pid();
  {
    auto cap = X11Capture::open(addr);
    ASSERT_TRUE(cap) << cap.error().to_string();
    EXPECT_EQ((*cap)->width(), 1280);
    EXPECT_EQ((*cap)->height(), 720);
  }
  ASSERT_TRUE((*d)->resize({1920, 1080, 60}).is_ok());
  EXPECT_EQ((*d)->address(), addr);  // same display number
  EXPECT_EQ((*d)->mode(), (DisplayMode{1920, 1080, 60}));
  EXPECT_EQ(::kill(first, 0), -1);  // the old server is gone (reaped)
  {
    auto cap = X11Capture::open(addr);
    ASSERT_TRUE(cap) << cap.error().to_string();
    EXPECT_EQ((*cap)->width(), 1920);
    EXPECT_EQ((*cap)->height(), 1080);
  }
  const pid_t second = (*d)->pid();
  d->reset();
  EXPECT_EQ(::kill(second, 0), -1);
  EXPECT_EQ(errno, ESRCH);
}

TEST(XvfbDisplayTest, TwoSessionsGetTwoDisplays) {
  auto a = XvfbDisplay::create({640, 480, 30});
  auto b = XvfbDisplay::create({800, 600, 30});
  ASSERT_TRUE(a && b);
  EXPECT_NE((*a)->address(), (*b)->address());
}

TEST(XvfbDisplayTest, RejectsSillyModes) {
  EXPECT_FALSE(XvfbDisplay::create({10, 10, 60}));
  EXPECT_FALSE(XvfbDisplay::create({1920, 1080, 0}));
}

}  // namespace
}  // namespace pf::host
