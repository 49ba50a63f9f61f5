// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/native/video_packet.h"

#include <array>

#include <gtest/gtest.h>

namespace pf::proto::native {
namespace {

VideoHeader sample() {
  VideoHeader h;
  h.flags = kFlagKeyframe | kFlagParity | kFlagLastBlock | kFlagGf16;
  h.key_epoch = 3;
  h.packet_number = 0x0102030405060708ull;
  h.frame_index = 0x11223344;
  h.capture_us = 0xAABBCCDDEEFF0011ull;
  h.block_index = 2;
  h.shard_index = 1100;
  h.k = 1000;
  h.m = 200;
  return h;
}

TEST(VideoPacketTest, LayoutMatchesTheSpec) {
  std::array<uint8_t, kVideoHeaderBytes> b{};
  write_video_header(sample(), b);
  const std::array<uint8_t, kVideoHeaderBytes> want = {
      0x10, 0x0F, 0x03, 0x00,                          // type, flags, epoch, reserved
      0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,  // packet number LE
      0x44, 0x33, 0x22, 0x11,                          // frame index
      0x11, 0x00, 0xFF, 0xEE, 0xDD, 0xCC, 0xBB, 0xAA,  // capture us
      0x02, 0x00, 0x4C, 0x04, 0xE8, 0x03, 0xC8, 0x00,  // block, shard, k, m
  };
  EXPECT_EQ(b, want);
  auto back = parse_video_header(b);
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(*back, sample());
}

TEST(VideoPacketTest, TheRecoveryFlagRoundTrips) {
  std::array<uint8_t, kVideoHeaderBytes> b{};
  VideoHeader h = sample();
  h.flags = static_cast<uint8_t>((h.flags & ~kFlagKeyframe) | kFlagRecovery);
  write_video_header(h, b);
  EXPECT_EQ(b[1], 0x1E);
  auto back = parse_video_header(b);
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_TRUE(back->recovery());
  EXPECT_FALSE(back->keyframe());
}

TEST(VideoPacketTest, RejectsMalformedHeaders) {
  std::array<uint8_t, kVideoHeaderBytes> b{};
  auto check_bad = [&](auto mutate, const char* needle) {
    write_video_header(sample(), b);
    mutate(b);
    auto r = parse_video_header(b);
    ASSERT_FALSE(r) << needle;
    EXPECT_NE(r.error().message().find(needle), std::string::npos) << r.error().message();
  };
  check_bad([](auto& x) { x[0] = 0x13; }, "type");
  check_bad([](auto& x) { x[1] |= 0x20; }, "flags");
  check_bad([](auto& x) { x[3] = 1; }, "reserved");
  check_bad([](auto& x) { x[28] = x[29] = 0; }, "k or m");
  check_bad(
      [](auto& x) {
        x[26] = 0xFF;
        x[27] = 0xFF;
      },
      "shard");
  check_bad([](auto& x) { x[1] &= ~kFlagParity; }, "parity flag");
  check_bad([](auto& x) { x[1] &= ~kFlagGf16; }, "GF(2^8)");
  check_bad([](auto& x) { x[12] = x[13] = x[14] = x[15] = 0; }, "frame index 0");
  EXPECT_FALSE(parse_video_header(std::span<const uint8_t>(b.data(), 31)));
}

TEST(VideoPacketTest, ProbesNeedNoBlockFields) {
  std::array<uint8_t, kVideoHeaderBytes> b{};
  VideoHeader h;
  h.type = PacketType::kClientProbe;
  write_video_header(h, b);
  auto r = parse_video_header(b);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->type, PacketType::kClientProbe);
}

}  // namespace
}  // namespace pf::proto::native
