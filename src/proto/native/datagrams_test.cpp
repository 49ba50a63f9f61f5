// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/native/datagrams.h"

#include <array>
#include <vector>

#include <gtest/gtest.h>

namespace pf::proto::native {
namespace {

std::vector<uint8_t> encode(const Datagram& d) {
  std::vector<uint8_t> out(encoded_size(d));
  auto n = encode_datagram(d, out);
  EXPECT_TRUE(n);
  EXPECT_EQ(*n, out.size());
  return out;
}

TEST(DatagramsTest, InputLayoutAndRoundTrip) {
  InputDatagram in{4, 0x01020304, -2, 65535, 7};
  auto bytes = encode(in);
  ASSERT_EQ(bytes.size(), 18u);  // the spec: 17 bytes plus the tag
  const std::vector<uint8_t> want = {0xC8, 0x04, 0x04, 0x03, 0x02, 0x01, 0xFE, 0xFF, 0xFF,
                                     0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00};
  EXPECT_EQ(bytes, want);
  auto back = decode_datagram(bytes);
  ASSERT_TRUE(back);
  EXPECT_EQ(std::get<InputDatagram>(*back), in);
  EXPECT_TRUE(is_known_input_kind(in.kind));
  EXPECT_FALSE(is_known_input_kind(0));
  EXPECT_TRUE(is_known_input_kind(15));  // gamepad touchpad
  EXPECT_TRUE(is_known_input_kind(16));  // pen
  EXPECT_FALSE(is_known_input_kind(17));
}

TEST(DatagramsTest, AudioAndMicAreMirrors) {
  const std::array<uint8_t, 5> opus{0xF8, 0xFF, 0xFE, 0x01, 0x02};
  AudioDatagram a{{77, 123456789, opus}};
  MicDatagram m{{77, 123456789, opus}};
  auto ab = encode(a), mb = encode(m);
  EXPECT_EQ(ab[0], 0xC9);
  EXPECT_EQ(mb[0], 0xCB);
  EXPECT_TRUE(std::equal(ab.begin() + 1, ab.end(), mb.begin() + 1));
  auto back = decode_datagram(mb);
  ASSERT_TRUE(back);
  const auto& mic = std::get<MicDatagram>(*back);
  EXPECT_EQ(mic.seq, 77u);
  EXPECT_EQ(mic.pts_ns, 123456789u);
  ASSERT_EQ(mic.opus.size(), opus.size());
  EXPECT_TRUE(std::equal(opus.begin(), opus.end(), mic.opus.begin()));
  EXPECT_TRUE(std::holds_alternative<AudioDatagram>(*decode_datagram(ab)));
}

TEST(DatagramsTest, FixedLayoutsRoundTrip) {
  const Datagram all[] = {
      RumbleDatagram{1, 0x1234, 0xFFFF, 250},
      ClockProbeDatagram{9, 0x0102030405060708ull},
      ClockReplyDatagram{9, 1, 2, 3},
      HostTimingDatagram{42, 1500, 300},
      CursorDatagram{43, 7, -12, 1080, kCursorVisible},
  };
  const size_t sizes[] = {8, 13, 29, 13, 14};
  for (size_t i = 0; i < std::size(all); ++i) {
    auto bytes = encode(all[i]);
    EXPECT_EQ(bytes.size(), sizes[i]);
    auto back = decode_datagram(bytes);
    ASSERT_TRUE(back) << i;
    EXPECT_EQ(back->index(), all[i].index());
    EXPECT_EQ(tag_of(*back), tag_of(all[i]));
    // Every proper prefix is a truncated datagram, never a crash.
    for (size_t n = 0; n < bytes.size(); ++n) {
      auto r = decode_datagram(std::span<const uint8_t>(bytes.data(), n));
      ASSERT_FALSE(r) << i << " prefix " << n;
      EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
    }
  }
  EXPECT_EQ(std::get<ClockReplyDatagram>(*decode_datagram(encode(all[2]))),
            std::get<ClockReplyDatagram>(all[2]));
  // The cursor's position is signed: a hotspot left of or above the picture.
  EXPECT_EQ(std::get<CursorDatagram>(*decode_datagram(encode(all[4]))),
            std::get<CursorDatagram>(all[4]));
}

TEST(DatagramsTest, UnknownTagAndSmallBuffer) {
  const std::array<uint8_t, 3> unknown{0xC7, 0, 0};
  auto r = decode_datagram(unknown);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), StatusCode::kNotFound);
  std::array<uint8_t, 10> small{};
  auto e = encode_datagram(ClockReplyDatagram{}, small);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code(), StatusCode::kResourceExhausted);
}

TEST(DatagramsTest, TrailingBytesAreIgnoredForForwardCompatibility) {
  auto bytes = encode(ClockProbeDatagram{5, 6});
  bytes.push_back(0xAA);
  auto r = decode_datagram(bytes);
  ASSERT_TRUE(r);
  EXPECT_EQ(std::get<ClockProbeDatagram>(*r), (ClockProbeDatagram{5, 6}));
}

TEST(DatagramsTest, ReleasesAreTheInputThatLetsGo) {
  EXPECT_TRUE(is_release(InputDatagram{2, 30, 0, 0, 0}));
  EXPECT_TRUE(is_release(InputDatagram{6, 0x110, 0, 0, 0}));
  EXPECT_TRUE(is_release(InputDatagram{9, 0x130, 0, 0, 0}));
  EXPECT_FALSE(is_release(InputDatagram{9, 0x130, 0, 0, 1}));
  EXPECT_TRUE(is_release(InputDatagram{12, 0, 5, 5, 2}));
  EXPECT_FALSE(is_release(InputDatagram{12, 0, 5, 5, 1}));
  EXPECT_TRUE(is_release(InputDatagram{15, 1u << 16, 5, 5, 2}));  // a finger off the touchpad
  EXPECT_FALSE(is_release(InputDatagram{14, 0, 5, 5, 2}));        // motion lets go of nothing
  const auto pen = make_pen(PenEvent::kDown, 2, 1, 45, 100, 200, 0x8000);
  EXPECT_EQ(pen.kind, 16);
  EXPECT_EQ(pen.code, 2u | 1u << 8 | 45u << 16);
  EXPECT_EQ(pen.flags, 1u | 0x8000u << 16);
  EXPECT_EQ(pen_event(pen), PenEvent::kDown);
  EXPECT_FALSE(is_release(pen));
  EXPECT_TRUE(is_release(make_pen(PenEvent::kUp, 1, 0, 0, 0, 0, 0)));
  EXPECT_TRUE(is_release(make_pen(PenEvent::kLeave, 1, 0, 0, 0, 0, 0)));
  EXPECT_FALSE(is_release(InputDatagram{1, 30, 0, 0, 0}));
  EXPECT_FALSE(is_release(InputDatagram{3, 0, 1, 1, 0}));
}

}  // namespace
}  // namespace pf::proto::native
