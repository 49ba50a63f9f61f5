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

// 10-bit, 4:4:4 and HDR: the input format and profile per backend, and a
// clear refusal where a backend has no such mode. The hardware rows are
// untested on hardware (no GPU here); the software ones encode in
// LibavEncoderTest.TenBitFullChromaAndHdrStreamsDecodeAsSuch.
TEST(EncoderSettingsTest, DepthChromaAndHdrPerBackend) {
  struct Row {
    EncoderBackend backend;
    VideoCodec codec;
    int depth;
    bool full_chroma;
    const char* format;   // pixel_format, or sw_format for VA-API
    const char* profile;  // private option "profile" ("" = none)
  };
  const Row rows[] = {
      {EncoderBackend::kX264, VideoCodec::kH264, 8, true, "yuv444p", "high444"},
      {EncoderBackend::kX265, VideoCodec::kHevc, 10, false, "yuv420p10le", "main10"},
      {EncoderBackend::kX265, VideoCodec::kHevc, 8, true, "yuv444p", "main444-8"},
      {EncoderBackend::kX265, VideoCodec::kHevc, 10, true, "yuv444p10le", "main444-10"},
      {EncoderBackend::kAom, VideoCodec::kAv1, 10, false, "yuv420p10le", ""},
      {EncoderBackend::kAom, VideoCodec::kAv1, 8, true, "yuv444p", ""},
      {EncoderBackend::kNvenc, VideoCodec::kHevc, 10, false, "p010le", "main10"},
      {EncoderBackend::kNvenc, VideoCodec::kHevc, 8, true, "yuv444p", "rext"},
      {EncoderBackend::kNvenc, VideoCodec::kHevc, 10, true, "yuv444p16le", "rext"},
      {EncoderBackend::kNvenc, VideoCodec::kH264, 8, true, "yuv444p", "high444p"},
      {EncoderBackend::kNvenc, VideoCodec::kAv1, 10, false, "p010le", ""},
      {EncoderBackend::kVaapi, VideoCodec::kHevc, 10, false, "p010", "main10"},
      {EncoderBackend::kVaapi, VideoCodec::kAv1, 10, false, "p010", ""},
  };
  for (const Row& r : rows) {
    auto c = cfg(r.codec);
    c.bit_depth = r.depth;
    c.chroma_444 = r.full_chroma;
    const std::string what = std::string(to_string(r.backend)) + " " + to_string(r.codec) + " " +
                             std::to_string(r.depth) + (r.full_chroma ? "-bit 4:4:4" : "-bit");
    auto s = settings_for(r.backend, c);
    ASSERT_TRUE(s) << what << ": " << s.error().to_string();
    expect_low_delay(*s);
    EXPECT_EQ(r.backend == EncoderBackend::kVaapi ? s->sw_format : s->pixel_format, r.format)
        << what;
    const auto p = s->options.find("profile");
    EXPECT_EQ(p == s->options.end() ? "" : p->second, r.profile) << what;
    // 10-bit SDR says BT.709; HDR says BT.2020 + PQ.
    if (r.depth == 10) {
      EXPECT_EQ(s->context_options.at("color_primaries"), "bt709") << what;
      c.hdr = true;
      auto h = settings_for(r.backend, c);
      ASSERT_TRUE(h) << what;
      EXPECT_EQ(h->context_options.at("color_primaries"), "bt2020") << what;
      EXPECT_EQ(h->context_options.at("color_trc"), "smpte2084") << what;
      EXPECT_EQ(h->context_options.at("colorspace"), "bt2020nc") << what;
    }
  }
  // AV1 High (4:4:4) is the codec context's profile 1.
  auto c = cfg(VideoCodec::kAv1);
  c.chroma_444 = true;
  EXPECT_EQ(settings_for(EncoderBackend::kAom, c)->context_options.at("profile"), "1");
}

TEST(EncoderSettingsTest, ModesABackendCannotEncodeAreRefusedWithTheReason) {
  auto c = cfg(VideoCodec::kH264);
  c.bit_depth = 10;
  for (auto b : {EncoderBackend::kX264, EncoderBackend::kNvenc, EncoderBackend::kVaapi}) {
    auto s = settings_for(b, c);
    ASSERT_FALSE(s) << to_string(b);
    EXPECT_EQ(s.error().code(), StatusCode::kUnimplemented);
    EXPECT_NE(s.error().message().find("10-bit H.264"), std::string::npos) << s.error().message();
  }
  c = cfg(VideoCodec::kAv1);
  c.chroma_444 = true;
  EXPECT_FALSE(settings_for(EncoderBackend::kNvenc, c));
  c = cfg(VideoCodec::kHevc);
  c.chroma_444 = true;
  EXPECT_FALSE(settings_for(EncoderBackend::kVaapi, c));
  c = cfg(VideoCodec::kHevc);
  c.hdr = true;  // HDR in 8 bits
  EXPECT_EQ(settings_for(EncoderBackend::kX265, c).error().code(), StatusCode::kInvalidArgument);
  c.hdr = false;
  c.bit_depth = 12;
  EXPECT_EQ(settings_for(EncoderBackend::kX265, c).error().code(), StatusCode::kInvalidArgument);
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
