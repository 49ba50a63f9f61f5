// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/decode/tone_map.h"

#include <gtest/gtest.h>

namespace pf::client {
namespace {

TEST(ToneMapTest, PqCodesAreTheirLuminance) {
  EXPECT_NEAR(pq_code_to_nits(16), 0.0, 1e-9);
  EXPECT_NEAR(pq_code_to_nits(235), 10000.0, 1e-6);
  // 10-bit 509 is about 100 cd/m2 in PQ; its 8-bit code is 127.
  EXPECT_NEAR(pq_code_to_nits(127), 100.0, 8.0);
}

TEST(ToneMapTest, BlackStaysBlackThePeakIsWhiteAndNothingReverses) {
  const auto t = pq_to_sdr_luma_table(1000);
  EXPECT_EQ(t[16], 16);
  EXPECT_EQ(t[0], 16);  // below limited range: black
  int peak_code = 16;
  while (pq_code_to_nits(peak_code + 1) <= 1000)
    ++peak_code;
  EXPECT_GE(t[static_cast<size_t>(peak_code)], 230);  // the mastering peak is (nearly) white
  EXPECT_EQ(t[235], 235);                             // beyond it: clipped to white
  for (int c = 1; c < 256; ++c)
    EXPECT_GE(t[static_cast<size_t>(c)], t[static_cast<size_t>(c - 1)]) << c;
  // SDR white (203 cd/m2) lands in the upper middle, not at the top: highlights keep room.
  int white = 16;
  while (pq_code_to_nits(white + 1) <= 203)
    ++white;
  EXPECT_GT(t[static_cast<size_t>(white)], 150);
  EXPECT_LT(t[static_cast<size_t>(white)], 215);
}

TEST(ToneMapTest, MapsAPlaneInPlaceWithinItsWidth) {
  const auto t = pq_to_sdr_luma_table(0);
  uint8_t plane[2 * 4] = {16, 235, 99, 99, 16, 235, 99, 99};  // 2x2 picture, stride 4
  tone_map_luma(t, plane, 4, 2, 2);
  EXPECT_EQ(plane[0], 16);
  EXPECT_EQ(plane[1], 235);
  EXPECT_EQ(plane[2], 99);  // padding untouched
}

}  // namespace
}  // namespace pf::client
