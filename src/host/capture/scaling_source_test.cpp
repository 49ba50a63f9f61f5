// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/capture/scaling_source.h"

#include <gtest/gtest.h>

namespace pf::host {
namespace {

// Left half black, right half white, U/V flat: any scale keeps the halves.
class HalvesSource : public VideoSource {
 public:
  HalvesSource(int w, int h) : w_(w), h_(h) {}
  int width() const override { return w_; }
  int height() const override { return h_; }
  std::string describe() const override { return "halves"; }
  Status capture(uint32_t index, int64_t t, YuvFrame& out) override {
    out.allocate(w_, h_);
    out.index = index;
    out.capture_time_ns = t + 7;
    for (int y = 0; y < h_; ++y)
      for (int x = 0; x < w_; ++x)
        out.y[static_cast<size_t>(y) * w_ + x] = x < w_ / 2 ? 16 : 235;
    std::fill(out.u.begin(), out.u.end(), 128);
    std::fill(out.v.begin(), out.v.end(), 128);
    if (separate_)
      out.cursor = FrameCursor{true, true, 960, 540, std::make_shared<CursorImage>()};
    return Status::ok();
  }
  bool separate_cursor() override { return separate_ = true; }

 private:
  int w_, h_;
  bool separate_ = false;
};

TEST(ScalingSourceTest, BringsTheDesktopToTheSessionsSizeKeepingThePicture) {
  ScalingSource s(std::make_unique<HalvesSource>(1920, 1080), 1280, 720);
  EXPECT_EQ(s.width(), 1280);
  EXPECT_EQ(s.height(), 720);
  EXPECT_EQ(s.describe(), "halves scaled from 1920x1080");
  YuvFrame f;
  ASSERT_TRUE(s.capture(5, 1000, f).is_ok());
  EXPECT_EQ(f.width, 1280);
  EXPECT_EQ(f.height, 720);
  EXPECT_EQ(f.u.size(), 640u * 360u);
  EXPECT_EQ(f.index, 5u);
  EXPECT_EQ(f.capture_time_ns, 1007) << "the inner source's time stays";
  for (int y : {0, 359, 719}) {
    EXPECT_EQ(f.y[static_cast<size_t>(y) * 1280 + 10], 16);
    EXPECT_EQ(f.y[static_cast<size_t>(y) * 1280 + 1270], 235);
  }
  // Up as well (a small desktop, a big session), odd sizes included.
  ScalingSource up(std::make_unique<HalvesSource>(800, 600), 1366, 769);
  ASSERT_TRUE(up.capture(1, 0, f).is_ok());
  EXPECT_EQ(f.width, 1366);
  EXPECT_EQ(f.u.size(), 683u * 385u);
  EXPECT_EQ(f.y[100 * 1366 + 5], 16);
  EXPECT_EQ(f.y[100 * 1366 + 1360], 235);
}

TEST(ScalingSourceTest, ThePointerScalesWithThePicture) {
  ScalingSource s(std::make_unique<HalvesSource>(1920, 1080), 1280, 720);
  ASSERT_TRUE(s.separate_cursor());  // asked of the source it scales
  YuvFrame f;
  ASSERT_TRUE(s.capture(1, 0, f).is_ok());
  ASSERT_TRUE(f.cursor.present);
  EXPECT_EQ(f.cursor.x, 640);
  EXPECT_EQ(f.cursor.y, 360);
  EXPECT_TRUE(f.cursor.image);
}

}  // namespace
}  // namespace pf::host
