// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/native/chroma_checker.h"

#include <vector>

#include <gtest/gtest.h>

namespace pf::proto::native {
namespace {

struct Picture {
  Picture(int w, int h, int shift)
      : y(static_cast<size_t>(w) * h, 128),
        u(static_cast<size_t>(w >> shift) * (h >> shift), 128),
        v(u.size(), 128),
        planes{y.data(), u.data(), v.data(), w, w >> shift, w >> shift, w, h, shift} {}
  std::optional<ChromaCheckerReading> read() const {
    return read_chroma_checker(u.data(), planes.u_stride, v.data(), planes.v_stride, planes.width,
                               planes.height, planes.chroma_shift);
  }
  std::vector<uint8_t> y, u, v;
  YuvPlanes planes;
};

TEST(ChromaCheckerTest, FullChromaKeepsEveryPixelsColour) {
  Picture p(320, 240, 0);
  write_chroma_checker(p.planes);
  EXPECT_EQ(p.y[static_cast<size_t>(kCheckerY) * 320], kRedY);
  EXPECT_EQ(p.u[static_cast<size_t>(kCheckerY) * 320 + 1], kBlueU);
  auto r = p.read();
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->contrast, (kBlueU - kRedU) + (kRedV - kBlueV), 0.01);
  EXPECT_TRUE(r->full_chroma);
}

TEST(ChromaCheckerTest, SubsampledChromaLosesIt) {
  Picture p(320, 240, 1);
  write_chroma_checker(p.planes);
  const size_t at = static_cast<size_t>(kCheckerY / 2) * 160;
  EXPECT_EQ(p.u[at], (kRedU + kBlueU + 1) / 2);  // purple
  auto r = p.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->contrast, 0.0);
  EXPECT_FALSE(r->full_chroma);
}

TEST(ChromaCheckerTest, AFlatPictureIsNotFullChroma) {
  Picture p(320, 240, 0);
  auto r = p.read();
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->full_chroma);
}

TEST(ChromaCheckerTest, SmallPicturesHaveNone) {
  Picture p(64, 120, 0);
  write_chroma_checker(p.planes);
  EXPECT_EQ(p.y, std::vector<uint8_t>(64 * 120, 128));
  EXPECT_FALSE(p.read());
  EXPECT_FALSE(read_chroma_checker(p.u.data(), 64, p.v.data(), 64, 320, 240, 2));
}

TEST(ChromaCheckerTest, TallyCountsFullAndLost) {
  ChromaCheckerTally t;
  t.add(ChromaCheckerReading{280, true});
  t.add(ChromaCheckerReading{3, false});
  t.add(std::nullopt);
  EXPECT_EQ(t.full, 1u);
  EXPECT_EQ(t.lost, 1u);
  EXPECT_EQ(t.min_contrast, 3);
  EXPECT_EQ(t.max_contrast, 280);
}

}  // namespace
}  // namespace pf::proto::native
