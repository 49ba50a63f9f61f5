// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/app/frame_hash.h"

#include <vector>

#include <gtest/gtest.h>

namespace pf::client {
namespace {

struct Planes {
  std::vector<uint8_t> y, u, v;
  DecodedPicture picture(int w, int h, int stride) {
    DecodedPicture p;
    p.width = w;
    p.height = h;
    p.luma = y.data();
    p.luma_stride = stride;
    p.u = u.data();
    p.v = v.data();
    p.u_stride = p.v_stride = stride / 2;
    return p;
  }
};

Planes uniform(int stride, int h, uint8_t y, uint8_t u, uint8_t v) {
  return {std::vector<uint8_t>(static_cast<size_t>(stride) * h, y),
          std::vector<uint8_t>(static_cast<size_t>(stride / 2) * (h / 2), u),
          std::vector<uint8_t>(static_cast<size_t>(stride / 2) * (h / 2), v)};
}

TEST(FrameHashTest, ColourSampleIsTheColourThere) {
  auto red = uniform(64, 32, 81, 90, 240);
  const auto s = colour_sample(red.picture(48, 32, 64));
  EXPECT_EQ(s.y, 81);
  EXPECT_EQ(s.u, 90);
  EXPECT_EQ(s.v, 240);
  EXPECT_EQ(colour_sample(DecodedPicture{}).y, 0);
}

TEST(FrameHashTest, HashCoversVisibleSamplesOnly) {
  auto a = uniform(64, 32, 10, 128, 128);
  auto b = uniform(64, 32, 10, 128, 128);
  b.y[60] = 99;  // in the stride's padding (visible width 48)
  EXPECT_EQ(picture_hash(a.picture(48, 32, 64)), picture_hash(b.picture(48, 32, 64)));
  b.y[5] = 99;  // visible
  EXPECT_NE(picture_hash(a.picture(48, 32, 64)), picture_hash(b.picture(48, 32, 64)));
}

}  // namespace
}  // namespace pf::client
