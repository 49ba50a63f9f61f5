// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/app/spike.h"

#include <cstdio>
#include <filesystem>

#include <gtest/gtest.h>

namespace pf::host {
namespace {

TEST(SpikeTest, EncodesEveryFrameToFile) {
  auto path = std::filesystem::temp_directory_path() / "punktfunk_spike_test.h264";
  SpikeOptions o;
  o.width = 320;
  o.height = 240;
  o.fps = 30;
  o.seconds = 1.0;
  o.realtime = false;
  o.output_path = path.string();
  auto r = run_spike(o, SteadyClock::instance());
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->frames, 30u);
  EXPECT_EQ(r->keyframes, 1u);
  EXPECT_GT(r->bytes, 0u);
  EXPECT_EQ(std::filesystem::file_size(path), r->bytes);
  EXPECT_GT(r->encode_ms_p50, 0.0);
  EXPECT_LE(r->encode_ms_p50, r->encode_ms_p99);
  std::filesystem::remove(path);
}

TEST(SpikeTest, UnwritableOutputIsAClearError) {
  SpikeOptions o;
  o.width = 320;
  o.height = 240;
  o.seconds = 0.1;
  o.output_path = "/nonexistent-dir/x.h264";
  auto r = run_spike(o, SteadyClock::instance());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(r.error().message().find("/nonexistent-dir/x.h264"), std::string::npos);
}

TEST(SpikeTest, StopFlagEndsEarly) {
  SpikeOptions o;
  o.width = 320;
  o.height = 240;
  o.seconds = 100;
  o.realtime = false;
  volatile bool stop = true;
  auto r = run_spike(o, SteadyClock::instance(), &stop);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->frames, 0u);
}

}  // namespace
}  // namespace pf::host
