// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/native/frame_barcode.h"

#include <vector>

#include <gtest/gtest.h>

namespace pf::proto::native {
namespace {

TEST(FrameBarcodeTest, RoundTripsAndRejectsGrey) {
  std::vector<uint8_t> luma(64 * 40, 128);
  EXPECT_EQ(read_frame_barcode(luma.data(), 64, 40, 64), std::nullopt);
  for (uint32_t i : {0u, 1u, 0x80000001u, 0xFFFFFFFFu}) {
    write_frame_barcode(luma.data(), 64, 40, 64, i);
    EXPECT_EQ(read_frame_barcode(luma.data(), 64, 40, 64), i);
  }
}

TEST(FrameBarcodeCheckTest, HostSkipsGrowTheSkewAndAnythingElseIsWrong) {
  FrameBarcodeCheck c;
  c.check(1, 1);
  c.check(2, 2);
  c.check(4, 3);  // the host skipped capture 3
  c.check(5, 4);
  c.check(std::nullopt, 5);
  c.check(8, 7);  // wire frame 6 lost on the way: the skew stays 1
  EXPECT_EQ(c.ok, 5u);
  EXPECT_EQ(c.host_skipped, 1u);
  c.check(8, 8);   // a repeated picture: the skew went backwards
  c.check(20, 9);  // a jump forward is a skip, not an error
  c.check(19, 10);
  EXPECT_EQ(c.wrong, 2u);
  EXPECT_EQ(c.unreadable, 1u);
  EXPECT_EQ(c.ok, 6u);
  EXPECT_EQ(c.host_skipped, 11u);
}

}  // namespace
}  // namespace pf::proto::native
