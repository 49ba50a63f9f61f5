// SPDX-License-Identifier: MIT OR Apache-2.0
// The user's X desktop, played by an Xvfb the test starts: shared as it is,
// each session's stream scaled to the session's mode.
#include "host/vdisplay/x11_desktop_display.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>

#include "host/capture/x11_capture.h"
#include "host/vdisplay/xvfb_display.h"

namespace pf::host {
namespace {

class DisplayEnv {
 public:
  explicit DisplayEnv(const char* value) {
    if (const char* old = std::getenv("DISPLAY"))
      saved_ = old;
    if (value)
      ::setenv("DISPLAY", value, 1);
    else
      ::unsetenv("DISPLAY");
  }
  ~DisplayEnv() {
    if (saved_)
      ::setenv("DISPLAY", saved_->c_str(), 1);
    else
      ::unsetenv("DISPLAY");
  }

 private:
  std::optional<std::string> saved_;
};

TEST(X11DesktopDisplayTest, NoDesktopIsAClearVerdict) {
  {
    DisplayEnv env(nullptr);
    EXPECT_NE(X11DesktopDisplay::probe().reason.find("DISPLAY is not set"), std::string::npos);
    EXPECT_FALSE(X11DesktopDisplay::open({1280, 720, 60}));
  }
  DisplayEnv env(":987");
  const ProbeVerdict v = X11DesktopDisplay::probe();
  EXPECT_FALSE(v.available);
  EXPECT_NE(v.reason.find(":987"), std::string::npos) << v.reason;
}

TEST(X11DesktopDisplayTest, TheDesktopIsSharedAsItIsAndScaledToEachSession) {
  auto desktop = XvfbDisplay::create({1920, 1080, 60});
  ASSERT_TRUE(desktop) << desktop.error().to_string();
  DisplayEnv env((*desktop)->address().c_str());
  EXPECT_TRUE(X11DesktopDisplay::probe().available) << X11DesktopDisplay::probe().reason;

  auto d = X11DesktopDisplay::open({1280, 720, 60});
  ASSERT_TRUE(d) << d.error().to_string();
  EXPECT_EQ((*d)->backend(), "x11");
  EXPECT_EQ((*d)->address(), (*desktop)->address());
  EXPECT_EQ((*d)->desktop_width(), 1920);
  EXPECT_EQ((*d)->desktop_height(), 1080);
  EXPECT_EQ((*d)->mode(), (DisplayMode{1280, 720, 60}));

  // What the user sees: left half dark, right half bright.
  auto x = X11Capture::open((*d)->address(), /*draw_cursor=*/false);
  ASSERT_TRUE(x) << x.error().to_string();
  YuvFrame shown;
  shown.allocate(1920, 1080);
  for (int y = 0; y < 1080; ++y)
    for (int col = 0; col < 1920; ++col)
      shown.y[static_cast<size_t>(y) * 1920 + col] = col < 960 ? 30 : 220;
  std::fill(shown.u.begin(), shown.u.end(), 128);
  std::fill(shown.v.begin(), shown.v.end(), 128);
  ASSERT_TRUE((*x)->draw(shown).is_ok());

  // The session's picture comes from the display itself, scaled to the session.
  auto opened = (*d)->open_capture(1280, 720, 60);
  ASSERT_TRUE(opened) << opened.error().message();
  auto& source = *opened;
  EXPECT_EQ(source->width(), 1280);
  EXPECT_EQ(source->height(), 720);
  EXPECT_NE(source->describe().find("scaled from 1920x1080"), std::string::npos)
      << source->describe();
  YuvFrame f;
  ASSERT_TRUE(source->capture(1, 0, f).is_ok());
  ASSERT_EQ(f.width, 1280);
  EXPECT_NEAR(f.y[360 * 1280 + 100], 30, 3);
  EXPECT_NEAR(f.y[360 * 1280 + 1180], 220, 3);

  // Another session's mode: the desktop is untouched.
  ASSERT_TRUE((*d)->resize({800, 600, 30}).is_ok());
  EXPECT_EQ((*d)->mode(), (DisplayMode{800, 600, 30}));
  auto again = X11Capture::open((*d)->address());
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)->width(), 1920);
  EXPECT_FALSE((*d)->resize({0, 600, 30}).is_ok());
}

}  // namespace
}  // namespace pf::host
