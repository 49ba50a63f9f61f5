// SPDX-License-Identifier: MIT OR Apache-2.0
#include "session/session_config.h"

#include <gtest/gtest.h>

namespace pf {
namespace {

TEST(SessionConfigTest, DefaultsAreValid) {
  EXPECT_TRUE(validate(SessionConfig{}).is_ok());
}

TEST(SessionConfigTest, RejectsEachBadField) {
  auto expect_bad = [](SessionConfig c, const char* needle) {
    Status s = validate(c);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << needle;
    EXPECT_NE(s.message().find(needle), std::string::npos) << s.message();
  };
  SessionConfig c;
  c.width = 0;
  expect_bad(c, "mode");
  c = {};
  c.height = kMaxDimension + 1;
  expect_bad(c, "mode");
  c = {};
  c.fps_x100 = 0;
  expect_bad(c, "frame rate");
  c = {};
  c.max_bitrate_kbps = 0;
  expect_bad(c, "bitrate");
  c = {};
  c.shard_bytes = 1400;
  expect_bad(c, "multiple of 64");
  c = {};
  c.shard_bytes = 0;
  expect_bad(c, "shard size");
  c = {};
  c.fec_fields = 0;
  expect_bad(c, "FEC");
  c = {};
  c.fec_fields = 4;
  expect_bad(c, "FEC");
  c = {};
  c.fec_fields = 2;  // GF(2^16) alone: such a client could not decode a small block
  expect_bad(c, "GF(2^8)");
  c = {};
  c.ciphers = 0;
  expect_bad(c, "cipher");
  c = {};
  c.codecs = 8;
  expect_bad(c, "codec");
  c = {};
  c.audio_channels = 3;
  expect_bad(c, "audio");
}

TEST(SessionConfigTest, AcceptsBoundaryValues) {
  SessionConfig c;
  c.width = kMaxDimension;
  c.height = 1;
  c.shard_bytes = kMaxShardBytes;
  c.fec_fields = 1;
  c.audio_channels = 8;
  c.fps_x100 = kMaxFpsX100;
  EXPECT_TRUE(validate(c).is_ok()) << validate(c).to_string();
}

}  // namespace
}  // namespace pf
