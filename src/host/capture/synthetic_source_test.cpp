// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/capture/synthetic_source.h"

#include <gtest/gtest.h>

namespace pf::host {
namespace {

TEST(SyntheticSourceTest, BarcodeRoundTrips) {
  SyntheticSource src(640, 360);
  I420Frame f;
  for (uint32_t idx : {1u, 2u, 0x80000001u, 123456789u, 0xffffffffu}) {
    src.render(idx, 42, f);
    EXPECT_EQ(f.index, idx);
    EXPECT_EQ(f.capture_time_ns, 42);
    auto got = SyntheticSource::read_barcode(f.y.data(), f.width, f.height, f.width);
    ASSERT_TRUE(got);
    EXPECT_EQ(*got, idx);
  }
}

TEST(SyntheticSourceTest, FramesDifferAndBuffersAreReused) {
  SyntheticSource src(320, 240);
  I420Frame a, b;
  src.render(1, 0, a);
  const uint8_t* y_before = a.y.data();
  src.render(2, 0, b);
  EXPECT_NE(a.y, b.y);
  src.render(3, 0, a);
  EXPECT_EQ(a.y.data(), y_before);
  EXPECT_EQ(a.u.size(), 160u * 120u);
}

TEST(SyntheticSourceTest, UnreadableBarcodeIsRejected) {
  std::vector<uint8_t> grey(640 * 360, 128);
  EXPECT_FALSE(SyntheticSource::read_barcode(grey.data(), 640, 360, 640));
  EXPECT_FALSE(SyntheticSource::read_barcode(grey.data(), 40, 10, 40));
}

}  // namespace
}  // namespace pf::host
