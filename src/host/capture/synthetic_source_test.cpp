// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/capture/synthetic_source.h"

#include <gtest/gtest.h>

namespace pf::host {
namespace {

TEST(SyntheticSourceTest, BarcodeRoundTrips) {
  SyntheticSource src(640, 360);
  YuvFrame f;
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
  YuvFrame a, b;
  src.render(1, 0, a);
  const uint8_t* y_before = a.y.data();
  src.render(2, 0, b);
  EXPECT_NE(a.y, b.y);
  src.render(3, 0, a);
  EXPECT_EQ(a.y.data(), y_before);
  EXPECT_EQ(a.u.size(), 160u * 120u);
}

// The HDR test source: 10-bit samples (little-endian uint16) within limited
// range, its metadata on every frame, and the barcode readable from the top 8
// bits as a 10-to-8-bit conversion leaves it.
TEST(SyntheticSourceTest, HdrFramesAreTenBitWithTheirMetadata) {
  SyntheticSource src(320, 240, true);
  YuvFrame f;
  src.render(77, 0, f);
  EXPECT_EQ(f.bit_depth, 10);
  ASSERT_EQ(f.y.size(), 320u * 240 * 2);
  EXPECT_EQ(f.u.size(), 160u * 120 * 2);
  ASSERT_TRUE(f.hdr);
  EXPECT_EQ(*f.hdr, SyntheticSource::kHdrMetadata);
  const auto* y = reinterpret_cast<const uint16_t*>(f.y.data());
  std::vector<uint8_t> top8(320 * 240);
  for (size_t i = 0; i < top8.size(); ++i) {
    ASSERT_GE(y[i], 64);
    ASSERT_LE(y[i], 940);
    top8[i] = static_cast<uint8_t>(y[i] >> 2);
  }
  EXPECT_EQ(SyntheticSource::read_barcode(top8.data(), 320, 240, 320), std::optional<uint32_t>(77));
  // Back to SDR: 8-bit frames without metadata from the same buffers.
  SyntheticSource(320, 240).render(78, 0, f);
  EXPECT_EQ(f.bit_depth, 8);
  EXPECT_EQ(f.y.size(), 320u * 240);
  EXPECT_FALSE(f.hdr);
}

TEST(SyntheticSourceTest, UnreadableBarcodeIsRejected) {
  std::vector<uint8_t> grey(640 * 360, 128);
  EXPECT_FALSE(SyntheticSource::read_barcode(grey.data(), 640, 360, 640));
  EXPECT_FALSE(SyntheticSource::read_barcode(grey.data(), 40, 10, 40));
}

}  // namespace
}  // namespace pf::host
