// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/native/control.h"

#include <gtest/gtest.h>

namespace pf::proto::native {
namespace {

std::vector<ControlMessage> all_kinds() {
  HdrMetadata hdr;
  for (size_t i = 0; i < hdr.values.size(); ++i)
    hdr.values[i] = static_cast<uint16_t>(1000 * i + 7);
  return {
      Hello{1, 0x5, 3840, 2160, 12000, 0x3, 2, 150000, 0x3, 0x1, 50000},
      Welcome{0xDEADBEEF, 2, 3840, 2160, 12000, 2, 20, 1408, 1, 50001, 80000, kCapCursorChannel},
      RequestIdr{77},
      InvalidateRefs{10, 20},
      ReceiverReport{1, 2, 3, 4, 5, 6},
      SetBitrate{25000},
      SetFec{35},
      Bye{Bye::kHostShutdown, "host shutting down"},
      hdr,
      Keepalive{},
      CursorShape{9, 2, 3, 1, 2, std::vector<uint8_t>(2 * 3 * 4, 0xAB)},
      PairMessage{0x10, {1, 2, 3}}};
}

TEST(NativeControlTest, EveryMessageRoundTripsThroughTheFramer) {
  ControlFramer f;
  std::vector<uint8_t> stream;
  for (const auto& m : all_kinds()) {
    const auto b = encode_control(m);
    stream.insert(stream.end(), b.begin(), b.end());
  }
  // Feed in awkward chunks (1, 2, 3, ... bytes).
  std::vector<ControlMessage> got;
  size_t at = 0, chunk = 1;
  while (at < stream.size()) {
    const size_t n = std::min(chunk++, stream.size() - at);
    ASSERT_TRUE(f.feed(std::span<const uint8_t>(stream.data() + at, n)).is_ok());
    at += n;
    while (auto m = f.next()) {
      ASSERT_TRUE(*m) << m->error().to_string();
      got.push_back(**m);
    }
  }
  EXPECT_EQ(got, all_kinds());
  EXPECT_EQ(f.buffered(), 0u);
}

TEST(NativeControlTest, WireLayoutOfHello) {
  const auto b = encode_control(Hello{1, 0, 1920, 1080, 6000, 1, 2, 50000, 2, 1, 9000});
  ASSERT_EQ(b.size(), 4u + 1 + 22);
  EXPECT_EQ(b[0], 23);  // length of type + body, little-endian
  EXPECT_EQ(b[4], 0x01);
  EXPECT_EQ(b[5], 1);  // version
  EXPECT_EQ(b[11] | b[12] << 8, 1920);
}

TEST(NativeControlTest, UnknownTypesAreSurfacedMalformedOnesAreErrors) {
  auto u = decode_control(0x7F, std::vector<uint8_t>{1, 2, 3});
  ASSERT_TRUE(u);
  EXPECT_EQ(std::get<UnknownMessage>(*u).type, 0x7F);
  EXPECT_FALSE(decode_control(0x01, std::vector<uint8_t>(10)));                      // short Hello
  EXPECT_FALSE(decode_control(0x04, std::vector<uint8_t>{9, 0, 0, 0, 1, 0, 0, 0}));  // reversed
  EXPECT_FALSE(decode_control(0x07, std::vector<uint8_t>{200}));                     // FEC > 100 %
  auto v2 = encode_control(Hello{2, 0, 1, 1, 1, 1, 2, 1, 1, 1, 1});
  auto bad = decode_control(0x01, std::span<const uint8_t>(v2).subspan(5));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), StatusCode::kUnimplemented);
  ControlFramer f;
  EXPECT_FALSE(f.feed(std::vector<uint8_t>{0, 0, 0, 0, 1}).is_ok());  // zero length
  ControlFramer g;
  EXPECT_FALSE(g.feed(std::vector<uint8_t>{0xFF, 0xFF, 0xFF, 0x7F}).is_ok());  // huge
}

TEST(NativeControlTest, AWelcomeWithoutGrantedCapabilitiesGrantsNone) {
  // An older host's Welcome ends after the initial bitrate.
  auto b =
      encode_control(Welcome{1, 1, 640, 480, 3000, 1, 20, 1408, 1, 9, 1000, kCapCursorChannel});
  b.resize(b.size() - 4);
  auto w = decode_control(0x02, std::span<const uint8_t>(b).subspan(5));
  ASSERT_TRUE(w) << w.error().to_string();
  EXPECT_EQ(std::get<Welcome>(*w).capabilities, 0u);
  EXPECT_EQ(std::get<Welcome>(*w).initial_bitrate_kbps, 1000u);
}

TEST(NativeControlTest, CursorShapesAreBoundedAndWhole) {
  auto body = [](uint16_t w, uint16_t h, uint16_t hx, uint16_t hy, size_t pixel_bytes) {
    auto b = encode_control(CursorShape{1, w, h, hx, hy, std::vector<uint8_t>(pixel_bytes, 7)});
    return std::vector<uint8_t>(b.begin() + 5, b.end());
  };
  EXPECT_TRUE(decode_control(0x0B, body(256, 256, 255, 255, 256 * 256 * 4)));  // the largest
  EXPECT_FALSE(decode_control(0x0B, body(257, 1, 0, 0, 257 * 4)));             // too wide
  EXPECT_FALSE(decode_control(0x0B, body(0, 0, 0, 0, 0)));                     // empty
  EXPECT_FALSE(decode_control(0x0B, body(4, 4, 4, 0, 64)));                    // hotspot outside
  EXPECT_FALSE(decode_control(0x0B, body(4, 4, 0, 0, 63)));                    // pixels short
  EXPECT_FALSE(decode_control(0x0B, body(4, 4, 0, 0, 65)));                    // pixels over
  // The largest shape passes the framer's length limit.
  ControlFramer f;
  const auto big = encode_control(
      CursorShape{2, 256, 256, 0, 0, std::vector<uint8_t>(size_t{256} * 256 * 4, 1)});
  ASSERT_TRUE(f.feed(big).is_ok());
  auto m = f.next();
  ASSERT_TRUE(m && *m);
  EXPECT_EQ(std::get<CursorShape>(**m).rgba.size(), size_t{256} * 256 * 4);
}

}  // namespace
}  // namespace pf::proto::native
