// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/gamestream/launch.h"

#include <gtest/gtest.h>

namespace pf::proto::gamestream {
namespace {

constexpr const char* kLaunch =
    "uniqueid=0123456789ABCDEF&uuid=1&appid=881448767&mode=1920x1080x60&additionalStates=1"
    "&sops=0&rikey=000102030405060708090A0B0C0D0E0F&rikeyid=-1041977293&localAudioPlayMode=0"
    "&surroundAudioInfo=196610&remoteControllersBitmap=1&gcmap=1&gcpersist=0&corever=1";

TEST(LaunchTest, ParsesWhatMoonlightSends) {
  auto r = parse_launch(*QueryParams::parse(kLaunch), false);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->app_id, 881448767u);
  EXPECT_EQ(r->width, 1920);
  EXPECT_EQ(r->height, 1080);
  EXPECT_EQ(r->fps, 60);
  EXPECT_EQ(r->rikey[15], 0x0F);
  EXPECT_EQ(r->rikeyid, -1041977293);
  EXPECT_EQ(r->audio_channels, 2);
  EXPECT_EQ(r->audio_channel_mask, 3);
  EXPECT_EQ(r->gamepad_mask, 1u);
  EXPECT_TRUE(r->encrypted_rtsp());
  // IV: rikeyid big-endian, then zeros. -1041977293 = 0xC1E4B033.
  const auto iv = r->iv();
  EXPECT_EQ(iv[0], 0xC1);
  EXPECT_EQ(iv[1], 0xE4);
  EXPECT_EQ(iv[2], 0xB0);
  EXPECT_EQ(iv[3], 0x33);
  EXPECT_EQ(iv[4], 0);
}

TEST(LaunchTest, SurroundAndNoCorever) {
  auto r = parse_launch(
      *QueryParams::parse("appid=1&mode=1280x720x120&rikey=00000000000000000000000000000000"
                          "&rikeyid=5&surroundAudioInfo=4128774"),
      false);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->audio_channels, 6);
  EXPECT_EQ(r->audio_channel_mask, 0x3F);
  EXPECT_FALSE(r->encrypted_rtsp());
}

TEST(LaunchTest, ResumeNeedsNoModeButAKey) {
  EXPECT_TRUE(
      parse_launch(*QueryParams::parse("rikey=00000000000000000000000000000000&rikeyid=1"), true));
  EXPECT_FALSE(parse_launch(*QueryParams::parse("rikeyid=1"), true));
}

TEST(LaunchTest, RejectsBadParametersByName) {
  const std::pair<const char*, const char*> cases[] = {
      {"mode=1920x1080x60&rikey=00&rikeyid=1&appid=1", "rikey"},
      {"mode=1920x1080&rikey=00000000000000000000000000000000&rikeyid=1&appid=1", "mode"},
      {"mode=0x1080x60&rikey=00000000000000000000000000000000&rikeyid=1&appid=1", "mode"},
      {"mode=1920x1080x60&rikey=00000000000000000000000000000000&appid=1", "rikeyid"},
      {"mode=1920x1080x60&rikey=00000000000000000000000000000000&rikeyid=1", "appid"},
      {"mode=1920x1080x60&rikey=00000000000000000000000000000000&rikeyid=1&appid=1"
       "&surroundAudioInfo=3",
       "surroundAudioInfo"},
  };
  for (auto [q, name] : cases) {
    auto r = parse_launch(*QueryParams::parse(q), false);
    ASSERT_FALSE(r) << q;
    EXPECT_NE(r.error().message().find(name), std::string::npos) << r.error().message();
  }
}

}  // namespace
}  // namespace pf::proto::gamestream
