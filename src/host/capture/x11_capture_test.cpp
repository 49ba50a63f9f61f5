// SPDX-License-Identifier: MIT OR Apache-2.0
// Draw a synthetic frame into a real Xvfb, capture it back with XShm, and
// read the frame index from the barcode.
#include "host/capture/x11_capture.h"

#include <algorithm>
#include <cstdlib>

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>

#include "host/capture/synthetic_source.h"
#include "host/capture/x_display.h"
#include "host/input/xtest_injector.h"
#include "host/vdisplay/xvfb_display.h"
#include "proto/native/chroma_checker.h"

// Last: Xlib's macros (Status, None, Bool) clash with the headers above.
#include <X11/Xlib.h>
#undef Status
#undef None
#undef Bool

namespace pf::host {
namespace {

TEST(X11CaptureTest, CapturesWhatWasDrawn) {
  auto d = XvfbDisplay::create({1280, 720, 60});
  ASSERT_TRUE(d) << d.error().to_string();
  auto cap = X11Capture::open((*d)->address());
  ASSERT_TRUE(cap) << cap.error().to_string();
  SyntheticSource src(1280, 720);
  YuvFrame drawn, got;
  for (uint32_t i : {1u, 2u, 77u, 0xABCDEFu}) {
    src.render(i, 0, drawn);
    ASSERT_TRUE((*cap)->draw(drawn).is_ok());
    ASSERT_TRUE((*cap)->capture(i, 123, got).is_ok());
    EXPECT_EQ(got.width, 1280);
    EXPECT_EQ(got.index, i);
    EXPECT_EQ(got.capture_time_ns, 123);
    EXPECT_EQ(SyntheticSource::read_barcode(got.y.data(), 1280, 720, 1280), i);
    // Luma survives the YUV -> BGR -> YUV round trip, up to rounding and
    // the clipping of colours outside the RGB cube.
    double diff = 0;
    size_t n = 0;
    for (size_t p = 0; p < got.y.size(); p += 97, ++n)
      diff += std::labs(long{got.y[p]} - long{drawn.y[p]});
    EXPECT_LE(diff / n, 6.0);
  }
}

// Luma pixels in the box [x-r, x+r] x [y-r, y+r] that differ from `grey`.
int changed_around(const YuvFrame& f, int x, int y, int r, uint8_t grey) {
  int n = 0;
  for (int row = std::max(0, y - r); row <= std::min(f.height - 1, y + r); ++row)
    for (int col = std::max(0, x - r); col <= std::min(f.width - 1, x + r); ++col)
      n += std::abs(int{f.y[static_cast<size_t>(row) * f.width + col]} - grey) > 8;
  return n;
}

TEST(X11CaptureTest, DrawsTheCursorWhereThePointerIs) {
  auto d = XvfbDisplay::create({640, 480, 60});
  ASSERT_TRUE(d) << d.error().to_string();
  auto with = X11Capture::open((*d)->address());
  auto without = X11Capture::open((*d)->address(), false);
  ASSERT_TRUE(with && without);
  ASSERT_TRUE((*with)->draws_cursor());
  EXPECT_FALSE((*without)->draws_cursor());
  YuvFrame grey;
  grey.allocate(640, 480);
  std::fill(grey.y.begin(), grey.y.end(), 128);
  std::fill(grey.u.begin(), grey.u.end(), 128);
  std::fill(grey.v.begin(), grey.v.end(), 128);
  ASSERT_TRUE((*with)->draw(grey).is_ok());
  const uint8_t background = [&] {
    YuvFrame f;
    EXPECT_TRUE((*without)->capture(1, 0, f).is_ok());
    EXPECT_EQ(changed_around(f, 320, 240, 320, f.y[0]), 0);  // no cursor anywhere
    return f.y[0];
  }();
  Display* dpy = XOpenDisplay((*d)->address().c_str());
  ASSERT_NE(dpy, nullptr);
  for (auto [x, y] : {std::pair{200, 100}, std::pair{500, 400}, std::pair{0, 0}}) {
    XWarpPointer(dpy, 0, DefaultRootWindow(dpy), 0, 0, 0, 0, x, y);
    XSync(dpy, False);
    YuvFrame f;
    ASSERT_TRUE((*with)->capture(2, 0, f).is_ok());
    EXPECT_GT(changed_around(f, x, y, 12, background), 40) << "no cursor at " << x << "," << y;
    // Nothing but the cursor: the rest of the frame is the background.
    EXPECT_EQ(changed_around(f, x, y, 320, background), changed_around(f, x, y, 12, background));
  }
  XCloseDisplay(dpy);
}

// The picture a client that asked for 4:4:4 gets: an X server's pixels keep
// their own colour (the red/blue 1-pixel checker survives), and at 4:2:0 they
// do not. Drawn through the X server as RGB, captured back with XShm.
TEST(X11CaptureTest, CapturesFullChromaWhenTheFrameAsksForIt) {
  auto d = XvfbDisplay::create({640, 480, 60});
  ASSERT_TRUE(d) << d.error().to_string();
  auto cap = X11Capture::open((*d)->address(), false);
  ASSERT_TRUE(cap);
  YuvFrame pattern;
  pattern.chroma = ChromaSampling::k444;
  SyntheticSource(640, 480).render(1, 0, pattern);
  ASSERT_TRUE((*cap)->draw(pattern).is_ok());
  for (const auto chroma : {ChromaSampling::k444, ChromaSampling::k420}) {
    YuvFrame f;
    f.chroma = chroma;
    ASSERT_TRUE((*cap)->capture(1, 0, f).is_ok());
    ASSERT_EQ(f.u.size(), chroma == ChromaSampling::k444 ? 640u * 480 : 320u * 240);
    auto r = proto::native::read_chroma_checker(f.u.data(), f.chroma_width(), f.v.data(),
                                                f.chroma_width(), f.width, f.height,
                                                f.full_chroma() ? 0 : 1);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->full_chroma, chroma == ChromaSampling::k444) << r->contrast;
  }
}

// The cursor channel: the pointer is left out of the picture and reported
// with each frame — where it is, and its image (the same object while the
// image does not change).
TEST(X11CaptureTest, SeparateCursorLeavesThePointerOutAndReportsIt) {
  auto d = XvfbDisplay::create({640, 480, 60});
  ASSERT_TRUE(d) << d.error().to_string();
  auto cap = X11Capture::open((*d)->address());
  ASSERT_TRUE(cap);
  ASSERT_TRUE((*cap)->separate_cursor());
  EXPECT_FALSE((*cap)->draws_cursor());
  YuvFrame grey;
  grey.allocate(640, 480);
  std::fill(grey.y.begin(), grey.y.end(), 128);
  std::fill(grey.u.begin(), grey.u.end(), 128);
  std::fill(grey.v.begin(), grey.v.end(), 128);
  ASSERT_TRUE((*cap)->draw(grey).is_ok());
  Display* dpy = XOpenDisplay((*d)->address().c_str());
  ASSERT_NE(dpy, nullptr);
  std::shared_ptr<const CursorImage> first;
  for (auto [x, y] : {std::pair{200, 100}, std::pair{500, 400}}) {
    XWarpPointer(dpy, 0, DefaultRootWindow(dpy), 0, 0, 0, 0, x, y);
    XSync(dpy, False);
    YuvFrame f;
    ASSERT_TRUE((*cap)->capture(2, 0, f).is_ok());
    EXPECT_EQ(changed_around(f, x, y, 320, f.y[0]), 0) << "the pointer is in the picture";
    ASSERT_TRUE(f.cursor.present);
    EXPECT_EQ(f.cursor.x, x);
    EXPECT_EQ(f.cursor.y, y);
    ASSERT_TRUE(f.cursor.image);
    const CursorImage& img = *f.cursor.image;
    EXPECT_GT(img.width, 0);
    EXPECT_LE(img.width, 256);
    EXPECT_EQ(img.rgba.size(), static_cast<size_t>(img.width) * img.height * 4);
    EXPECT_LT(img.hotspot_x, img.width);
    EXPECT_TRUE(f.cursor.visible);  // Xvfb's root cursor has opaque pixels
    if (!first)
      first = f.cursor.image;
    EXPECT_EQ(f.cursor.image, first) << "the same image is made once";
  }
  XCloseDisplay(dpy);
}

TEST(X11CaptureTest, MissingDisplayIsAClearError) {
  auto cap = X11Capture::open(":987");
  ASSERT_FALSE(cap);
  EXPECT_NE(cap.error().message().find(":987"), std::string::npos);
}

}  // namespace
}  // namespace pf::host

namespace pf::host {
namespace {

// The issue this guards: Xlib's default handler exit()s the process when a
// server goes away (F1 of the stock-Moonlight issue). Here the server is
// killed under a capture and an injector; both fail on their own, the test
// process lives on, and the next display works.
TEST(X11CaptureTest, KilledServerFailsTheCaptureNotTheProcess) {
  auto d = XvfbDisplay::create({320, 240, 30});
  ASSERT_TRUE(d) << d.error().to_string();
  auto cap = X11Capture::open((*d)->address());
  ASSERT_TRUE(cap);
  auto inj = XTestInjector::open((*d)->address());
  ASSERT_TRUE(inj);
  YuvFrame got;
  ASSERT_TRUE((*cap)->capture(1, 0, got).is_ok());
  ::kill((*d)->pid(), SIGKILL);
  ::waitpid((*d)->pid(), nullptr, 0);
  const Status st = (*cap)->capture(2, 0, got);
  ASSERT_FALSE(st.is_ok());
  EXPECT_NE(st.message().find("is gone"), std::string::npos) << st.message();
  proto::native::InputDatagram key{};
  key.kind = static_cast<uint8_t>(proto::native::InputKind::kKeyDown);
  key.code = 30;
  (*inj)->inject(key);  // into a dead connection: nothing, no exit
  (*inj)->inject(key);  // and again once it knows: no Xlib call, no hang
  (*inj)->inject(key);
  EXPECT_FALSE((*cap)->capture(2, 0, got).is_ok());
  cap->reset();  // must not block (Xlib's locks are unusable after the loss)
  inj->reset();
  auto next = XvfbDisplay::create({320, 240, 30});
  ASSERT_TRUE(next);
  auto again = X11Capture::open((*next)->address());
  ASSERT_TRUE(again);
  EXPECT_TRUE((*again)->capture(3, 0, got).is_ok());
}

// A server killed while nothing used its connection: closing it is where
// Xlib meets the I/O error. The closed Display's address is not remembered as
// lost — a new connection may be allocated at that very address.
TEST(X11CaptureTest, AClosedConnectionIsNotRememberedAsLost) {
  auto d = XvfbDisplay::create({320, 240, 30});
  ASSERT_TRUE(d) << d.error().to_string();
  Display* dpy = open_x_display((*d)->address());
  ASSERT_NE(dpy, nullptr);
  ::kill((*d)->pid(), SIGKILL);
  ::waitpid((*d)->pid(), nullptr, 0);
  close_x_display(dpy);
  EXPECT_FALSE(x_display_lost(dpy));
  // And a fresh connection to a live server is usable.
  auto next = XvfbDisplay::create({320, 240, 30});
  ASSERT_TRUE(next);
  auto cap = X11Capture::open((*next)->address());
  ASSERT_TRUE(cap);
  YuvFrame got;
  EXPECT_TRUE((*cap)->capture(1, 0, got).is_ok());
}

}  // namespace
}  // namespace pf::host
