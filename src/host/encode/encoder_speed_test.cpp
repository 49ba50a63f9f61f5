// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/encode/encoder_speed.h"

#include <gtest/gtest.h>

namespace pf::host {
namespace {

using std::chrono::milliseconds;

// A mode any machine holds (a small picture at 5 fps) is real time; one no
// machine holds (1080p at 10,000 fps) is not, and the probe stops early.
TEST(EncoderSpeedTest, TellsAModeItHoldsFromOneItDoesNot) {
  auto easy = measure_encoder_speed(VideoCodec::kH264, 320, 240, 5, milliseconds(100));
  ASSERT_TRUE(easy) << easy.error().to_string();
  EXPECT_TRUE(easy->real_time) << easy->ms_per_frame << " ms per frame";
  EXPECT_GE(easy->frames, 2);
  EXPECT_DOUBLE_EQ(easy->interval_ms, 200.0);
  auto hard = measure_encoder_speed(VideoCodec::kH264, 1920, 1080, 10'000, milliseconds(2000));
  ASSERT_TRUE(hard) << hard.error().to_string();
  EXPECT_FALSE(hard->real_time) << hard->ms_per_frame << " ms per frame";
  EXPECT_EQ(hard->frames, 1) << "the probe went on after a frame took twice the interval";
}

TEST(EncoderSpeedTest, AnEncoderThatCannotOpenSaysWhy) {
  auto r = measure_encoder_speed(VideoCodec::kH264, 321, 240, 60, milliseconds(10));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace pf::host
