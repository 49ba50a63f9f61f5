// SPDX-License-Identifier: MIT OR Apache-2.0
// Draw a synthetic frame into a real Xvfb, capture it back with XShm, and
// read the frame index from the barcode.
#include "host/capture/x11_capture.h"

#include <algorithm>
#include <cstdlib>

#include <gtest/gtest.h>

#include "host/capture/synthetic_source.h"
#include "host/vdisplay/xvfb_display.h"

namespace pf::host {
namespace {

TEST(X11CaptureTest, CapturesWhatWasDrawn) {
  auto d = XvfbDisplay::create({1280, 720, 60});
  ASSERT_TRUE(d) << d.error().to_string();
  auto cap = X11Capture::open((*d)->address());
  ASSERT_TRUE(cap) << cap.error().to_string();
  SyntheticSource src(1280, 720);
  I420Frame drawn, got;
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

TEST(X11CaptureTest, MissingDisplayIsAClearError) {
  auto cap = X11Capture::open(":987");
  ASSERT_FALSE(cap);
  EXPECT_NE(cap.error().message().find(":987"), std::string::npos);
}

}  // namespace
}  // namespace pf::host
