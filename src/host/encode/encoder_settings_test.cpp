// SPDX-License-Identifier: MIT OR Apache-2.0
// Every backend's low-latency settings, including the ones this machine cannot
// run (NVENC, VAAPI: no GPU here; they are untested on hardware).
#include "host/encode/encoder_settings.h"

#include <gtest/gtest.h>

namespace pf::host {
namespace {

EncoderConfig cfg(VideoCodec codec = VideoCodec::kH264) {
  EncoderConfig c;
  c.codec = codec;
  c.width = 1920;
  c.height = 1080;
  c.fps = 60;
  c.bitrate_kbps = 30'000;
  return c;
}

void expect_low_delay(const EncoderSettings& s) {
  EXPECT_EQ(s.max_b_frames, 0);
  EXPECT_GE(s.gop, 100'000);  // infinite GOP: IDR only on request
  EXPECT_EQ(s.bit_rate, 30'000'000);
  EXPECT_EQ(s.rc_buffer_size, 500'000);  // one frame at 60 fps
  EXPECT_TRUE(s.low_delay_flag);
}

TEST(EncoderSettingsTest, X264) {
  auto s = settings_for(EncoderBackend::kX264, cfg());
  ASSERT_TRUE(s);
  expect_low_delay(*s);
  EXPECT_EQ(s->encoder, "libx264");
  EXPECT_EQ(s->pixel_format, "yuv420p");
  EXPECT_EQ(s->options.at("tune"), "zerolatency");
  EXPECT_EQ(s->options.at("preset"), "ultrafast");
  EXPECT_EQ(s->options.at("forced-idr"), "1");
  EXPECT_FALSE(settings_for(EncoderBackend::kX264, cfg(VideoCodec::kHevc)));
  EXPECT_FALSE(settings_for(EncoderBackend::kX264, cfg(VideoCodec::kAv1)));
}

TEST(EncoderSettingsTest, X265) {
  auto s = settings_for(EncoderBackend::kX265, cfg(VideoCodec::kHevc));
  ASSERT_TRUE(s);
  expect_low_delay(*s);
  EXPECT_EQ(s->encoder, "libx265");
  EXPECT_EQ(s->pixel_format, "yuv420p");
  EXPECT_EQ(s->options.at("tune"), "zerolatency");
  EXPECT_EQ(s->options.at("forced-idr"), "1");
  const std::string& p = s->options.at("x265-params");
  for (const char* want :
       {"repeat-headers=1", "bframes=0", "rc-lookahead=0", "frame-threads=1", "scenecut=0"})
    EXPECT_NE(p.find(want), std::string::npos) << want << " missing from " << p;
  EXPECT_FALSE(settings_for(EncoderBackend::kX265, cfg(VideoCodec::kH264)));
  EXPECT_FALSE(settings_for(EncoderBackend::kX265, cfg(VideoCodec::kAv1)));
}

TEST(EncoderSettingsTest, NvencEveryCodec) {
  for (auto codec : {VideoCodec::kH264, VideoCodec::kHevc, VideoCodec::kAv1}) {
    auto s = settings_for(EncoderBackend::kNvenc, cfg(codec));
    ASSERT_TRUE(s);
    expect_low_delay(*s);
    EXPECT_EQ(s->encoder, std::string(to_string(codec)) + "_nvenc");
    EXPECT_EQ(s->options.at("tune"), "ull");
    EXPECT_EQ(s->options.at("rc"), "cbr");
    EXPECT_EQ(s->options.at("zerolatency"), "1");
    EXPECT_EQ(s->options.at("delay"), "0");
    EXPECT_EQ(s->options.at("rc-lookahead"), "0");
    EXPECT_EQ(s->options.at("forced-idr"), "1");
  }
}

TEST(EncoderSettingsTest, VaapiEveryCodec) {
  for (auto codec : {VideoCodec::kH264, VideoCodec::kHevc, VideoCodec::kAv1}) {
    auto s = settings_for(EncoderBackend::kVaapi, cfg(codec));
    ASSERT_TRUE(s);
    expect_low_delay(*s);
    EXPECT_EQ(s->encoder, std::string(to_string(codec)) + "_vaapi");
    EXPECT_EQ(s->hw_device, "vaapi");
    EXPECT_EQ(s->options.at("rc_mode"), "CBR");
    EXPECT_EQ(s->options.at("async_depth"), "1");
  }
}

TEST(EncoderSettingsTest, FixedGopAndBadInput) {
  auto c = cfg();
  c.gop_frames = 120;
  EXPECT_EQ(settings_for(EncoderBackend::kX264, c)->gop, 120);
  c.fps = 0;
  EXPECT_FALSE(settings_for(EncoderBackend::kX264, c));
}

}  // namespace
}  // namespace pf::host
