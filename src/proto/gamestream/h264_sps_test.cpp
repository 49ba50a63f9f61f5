// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/gamestream/h264_sps.h"

#include <vector>

#include <gtest/gtest.h>

namespace pf::proto::gamestream {
namespace {

// Sequence parameter sets libx264 wrote (baseline, emulation-prevention
// bytes included); the round trip through the real encoder for more sizes is
// in host/encode/x264_encoder_test.cpp.
const std::vector<uint8_t> kSps1366x768 = {
    0x00, 0x00, 0x00, 0x01, 0x67, 0x42, 0xc0, 0x2a, 0xd8, 0x90, 0x15, 0x81, 0x87, 0x9b, 0x84,
    0x00, 0x00, 0x03, 0x00, 0x04, 0x00, 0x00, 0x03, 0x00, 0xf2, 0x3c, 0x60, 0xc8, 0x98, 0x00};
const std::vector<uint8_t> kSps640x480 = {
    0x00, 0x00, 0x00, 0x01, 0x67, 0x42, 0xc0, 0x1f, 0xd8, 0x90, 0x28, 0x0f, 0x68, 0x40,
    0x00, 0x00, 0x03, 0x00, 0x40, 0x00, 0x00, 0x0f, 0x23, 0xc6, 0x0c, 0x89, 0x80, 0x00};

TEST(H264SpsTest, ReadsTheSizeWithCropping) {
  auto a = h264_picture_size(kSps1366x768);  // 1376x768 in macroblocks, cropped to 1366
  ASSERT_TRUE(a);
  EXPECT_EQ(a->width, 1366);
  EXPECT_EQ(a->height, 768);
  auto b = h264_picture_size(kSps640x480);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->width, 640);
  EXPECT_EQ(b->height, 480);
}

TEST(H264SpsTest, ReadsWhatASliceHeaderNeeds) {
  auto info = h264_sps_info(kSps640x480);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->size.width, 640);
  EXPECT_EQ(info->poc_type, 2);  // x264 without B-frames
  EXPECT_GE(info->log2_max_frame_num, 4);
  EXPECT_FALSE(info->separate_colour_plane);
  // A P slice: first_mb 0, slice_type 0, pps 0 (ue: 1 1 1), frame_num 5 in 4 bits (0101).
  H264SpsInfo four;
  four.log2_max_frame_num = 4;
  const std::vector<uint8_t> slice = {0, 0, 1, 0x41, 0xEA, 0x00};
  EXPECT_EQ(h264_frame_num(slice, four), 5u);
  const std::vector<uint8_t> idr = {0, 0, 0, 1, 0x65, 0xE0};  // type 5, frame_num 0
  EXPECT_EQ(h264_frame_num(idr, four), 0u);
  EXPECT_FALSE(h264_frame_num(kSps640x480, four));  // no slice
  four.log2_max_frame_num = 16;
  EXPECT_FALSE(h264_frame_num(std::vector<uint8_t>{0, 0, 1, 0x41, 0xEA}, four));  // short
}

TEST(H264SpsTest, GarbageGivesNothing) {
  EXPECT_FALSE(h264_picture_size({}));
  const std::vector<uint8_t> no_sps = {0, 0, 1, 0x65, 1, 2, 3};
  EXPECT_FALSE(h264_picture_size(no_sps));
  const std::vector<uint8_t> cut(kSps640x480.begin(), kSps640x480.begin() + 12);
  EXPECT_FALSE(h264_picture_size(cut));
  std::vector<uint8_t> zeros = {0, 0, 1, 0x67};
  zeros.resize(64, 0);  // exp-Golomb codes that never end
  EXPECT_FALSE(h264_picture_size(zeros));
}

// A High-profile SPS whose scaling list has a delta_scale far outside
// -128..127 (found by the fuzz preset once UBSan was fatal: last + delta
// overflowed an int): refused.
TEST(H264SpsTest, AnOutOfRangeScalingListDeltaIsRefused) {
  const std::vector<uint8_t> sps = {
      0x00, 0x00, 0x01, 0x67, 0x87, 0x00, 0xff, 0xff, 0xff, 0xbc, 0x02, 0x03, 0x03, 0x5d, 0x60,
      0x00, 0x00, 0x03, 0x40, 0x00, 0x0f, 0x00, 0x00, 0x03, 0xef, 0x00, 0x00, 0x03, 0x00, 0x00,
      0x03, 0x00, 0xff, 0xff, 0xff, 0xc6, 0xff, 0xfe, 0x98, 0xd7, 0xff, 0xbe, 0x2f};
  EXPECT_FALSE(h264_picture_size(sps));
}

}  // namespace
}  // namespace pf::proto::gamestream
