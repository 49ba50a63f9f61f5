// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/app/stream_options.h"

#include <gtest/gtest.h>

#include "proto/native/negotiation.h"

namespace pf::client {
namespace {

TEST(StreamOptionsTest, Bitrates) {
  EXPECT_EQ(*parse_bitrate_kbps("20000"), 20000u);
  EXPECT_EQ(*parse_bitrate_kbps("500k"), 500u);
  EXPECT_EQ(*parse_bitrate_kbps("200M"), 200000u);
  EXPECT_EQ(*parse_bitrate_kbps("1.5G"), 1500000u);
  EXPECT_EQ(*parse_bitrate_kbps("100g"), 100000000u);
  for (const char* bad : {"", "M", "fast", "20MB", "-5M", "50", "101G", "1e9", "2..5M"})
    EXPECT_FALSE(parse_bitrate_kbps(bad)) << bad;
}

TEST(StreamOptionsTest, Codecs) {
  namespace pn = proto::native;
  EXPECT_EQ(*parse_codecs("auto"), pn::kCodecH264 | pn::kCodecHevc | pn::kCodecAv1);
  EXPECT_EQ(*parse_codecs("av1"), pn::kCodecAv1);
  EXPECT_EQ(*parse_codecs("hevc"), pn::kCodecHevc);
  EXPECT_EQ(*parse_codecs("h264"), pn::kCodecH264);
  EXPECT_FALSE(parse_codecs("vp9"));
}

}  // namespace
}  // namespace pf::client
