// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/capture/rgb_to_yuv.h"

#include <vector>

#include <gtest/gtest.h>

#include "proto/native/chroma_checker.h"

namespace pf::host {
namespace {

namespace pn = proto::native;

// A w x h picture of 32-bit pixels in `order`: grey, with the red/blue
// 1-pixel checker where chroma_checker.h expects it.
std::vector<uint8_t> checker_picture(int w, int h, RgbxOrder order) {
  std::vector<uint8_t> px(static_cast<size_t>(w) * h * 4, 128);
  for (int y = pn::kCheckerY; y < pn::kCheckerY + pn::kCheckerHeight; ++y)
    for (int x = pn::kCheckerX; x < pn::kCheckerX + pn::kCheckerWidth; ++x) {
      uint8_t* p = &px[(static_cast<size_t>(y) * w + x) * 4];
      const bool red = ((x + y) & 1) == 0;
      const uint8_t r = red ? 255 : 0, b = red ? 0 : 255;
      p[0] = order == RgbxOrder::kBgrx ? b : r;
      p[1] = 0;
      p[2] = order == RgbxOrder::kBgrx ? r : b;
    }
  return px;
}

std::optional<pn::ChromaCheckerReading> checker_of(const YuvFrame& f) {
  return pn::read_chroma_checker(f.u.data(), f.chroma_width(), f.v.data(), f.chroma_width(),
                                 f.width, f.height, f.full_chroma() ? 0 : 1);
}

TEST(RgbToYuvTest, FourFourFourKeepsEveryPixelsColourInBothByteOrders) {
  for (RgbxOrder order : {RgbxOrder::kBgrx, RgbxOrder::kRgbx}) {
    const auto px = checker_picture(320, 240, order);
    YuvFrame f;
    f.chroma = ChromaSampling::k444;
    f.allocate(320, 240);
    ASSERT_TRUE(rgbx_to_yuv(px.data(), 320 * 4, order, f).is_ok());
    const size_t red = static_cast<size_t>(pn::kCheckerY) * 320 + pn::kCheckerX;
    EXPECT_NEAR(f.y[red], pn::kRedY, 1);
    EXPECT_NEAR(f.u[red], pn::kRedU, 1);
    EXPECT_NEAR(f.v[red], pn::kRedV, 1);
    EXPECT_NEAR(f.u[red + 1], pn::kBlueU, 1);
    EXPECT_NEAR(f.v[red + 1], pn::kBlueV, 1);
    auto r = checker_of(f);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->full_chroma) << r->contrast;
  }
}

TEST(RgbToYuvTest, FourTwoZeroAveragesTheColourAway) {
  for (RgbxOrder order : {RgbxOrder::kBgrx, RgbxOrder::kRgbx}) {
    const auto px = checker_picture(320, 240, order);
    YuvFrame f;
    f.allocate(320, 240);
    ASSERT_TRUE(rgbx_to_yuv(px.data(), 320 * 4, order, f).is_ok());
    auto r = checker_of(f);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->full_chroma);
    EXPECT_LT(r->contrast, 4.0);
  }
}

TEST(RgbToYuvTest, BottomUpPicturesComeOutTopFirst) {
  std::vector<uint8_t> px(64 * 2 * 4, 0);
  std::fill(px.begin(), px.begin() + 64 * 4, 255);  // row 0 white, row 1 black
  for (ChromaSampling chroma : {ChromaSampling::k420, ChromaSampling::k444}) {
    for (RgbxOrder order : {RgbxOrder::kBgrx, RgbxOrder::kRgbx}) {
      YuvFrame f;
      f.chroma = chroma;
      f.allocate(64, 2);
      // The last row first, walking up: the picture is flipped.
      ASSERT_TRUE(rgbx_to_yuv(px.data() + 64 * 4, -64 * 4, order, f).is_ok());
      EXPECT_LT(f.y[0], 20);
      EXPECT_GT(f.y[64], 230);
    }
  }
}

TEST(RgbToYuvTest, AFrameNotAllocatedForThePictureIsRefused) {
  std::vector<uint8_t> px(64 * 64 * 4, 0);
  YuvFrame f;
  f.allocate(64, 64);
  f.chroma = ChromaSampling::k444;  // the planes are still 4:2:0's
  EXPECT_EQ(rgbx_to_yuv(px.data(), 64 * 4, RgbxOrder::kBgrx, f).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(rgbx_to_yuv(nullptr, 64 * 4, RgbxOrder::kBgrx, f).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace pf::host
