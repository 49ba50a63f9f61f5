// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/encode/libav_encoder.h"

#include <gtest/gtest.h>

#include "host/capture/synthetic_source.h"

namespace pf::host {
namespace {

// Counts H.264 NAL units of a type in an Annex-B buffer.
int count_nal(const std::vector<uint8_t>& d, int type) {
  int n = 0;
  for (size_t i = 0; i + 3 < d.size(); ++i)
    if (d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1 && (d[i + 3] & 0x1f) == type)
      ++n;
  return n;
}

TEST(LibavEncoderTest, OneAccessUnitPerFrameFirstIsIdr) {
  EncoderConfig cfg;
  cfg.width = 320;
  cfg.height = 240;
  cfg.fps = 30;
  cfg.bitrate_kbps = 1000;
  auto enc = LibavEncoder::create(cfg);
  ASSERT_TRUE(enc) << enc.error().to_string();
  SyntheticSource src(cfg.width, cfg.height);
  I420Frame frame;
  EncodedFrame out;
  for (uint32_t i = 1; i <= 10; ++i) {
    src.render(i, i * 1000, frame);
    Status s = (*enc)->encode(frame, i == 1 || i == 8, out);
    ASSERT_TRUE(s.is_ok()) << s.to_string();
    EXPECT_EQ(out.frame_index, i);
    EXPECT_EQ(out.capture_time_ns, i * 1000);
    ASSERT_FALSE(out.data.empty());
    bool idr = count_nal(out.data, 5) > 0;
    EXPECT_EQ(idr, i == 1 || i == 8) << "frame " << i;
    EXPECT_EQ(out.keyframe, idr);
    if (i == 1) {
      EXPECT_EQ(count_nal(out.data, 7), 1);  // SPS
      EXPECT_EQ(count_nal(out.data, 8), 1);  // PPS
    }
  }
}

TEST(LibavEncoderTest, RejectsBadModeAndMismatchedFrames) {
  EncoderConfig cfg;
  cfg.width = 321;
  EXPECT_EQ(LibavEncoder::create(cfg).error().code(), StatusCode::kInvalidArgument);
  cfg.width = 320;
  cfg.height = 240;
  cfg.codec = VideoCodec::kAv1;
  EXPECT_EQ(LibavEncoder::create(cfg).error().code(), StatusCode::kUnimplemented);
  cfg.codec = VideoCodec::kH264;
  auto enc = LibavEncoder::create(cfg);
  ASSERT_TRUE(enc);
  I420Frame wrong;
  wrong.allocate(640, 480);
  EncodedFrame out;
  EXPECT_EQ((*enc)->encode(wrong, false, out).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace pf::host
