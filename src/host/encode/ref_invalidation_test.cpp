// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/encode/ref_invalidation.h"

#include <vector>

#include <gtest/gtest.h>

namespace pf::host {
namespace {

class RecordingEncoder : public VideoEncoder {
 public:
  explicit RecordingEncoder(bool can) : can_(can) {}
  std::string name() const override { return "recording"; }
  Status encode(const YuvFrame&, bool, EncodedFrame&) override { return Status::ok(); }
  void set_bitrate(int) override {}
  bool invalidate_from(uint32_t frame_index) override {
    calls.push_back(frame_index);
    return can_;
  }
  std::vector<uint32_t> calls;

 private:
  bool can_;
};

TEST(RefInvalidationTest, MapsWireFramesToEncoderFrames) {
  RecordingEncoder enc(true);
  RefInvalidation r;
  // Wire 1..20 were encoder frames 101, 103, 105, ... (captures skipped between).
  for (uint32_t w = 1; w <= 20; ++w)
    r.encoded(w, 99 + 2 * w, w == 1);
  EXPECT_TRUE(r.invalidate(enc, 15, 17));
  EXPECT_EQ(enc.calls, std::vector<uint32_t>{129});
}

TEST(RefInvalidationTest, AKeyframeWhenInvalidationCannotWork) {
  RecordingEncoder enc(true);
  RefInvalidation r;
  for (uint32_t w = 1; w <= 400; ++w)
    r.encoded(w, w, w == 1 || w == 300);
  EXPECT_FALSE(r.invalidate(enc, 0, 3));      // no frame 0
  EXPECT_FALSE(r.invalidate(enc, 350, 349));  // reversed
  EXPECT_FALSE(r.invalidate(enc, 401, 401));  // never sent
  EXPECT_FALSE(r.invalidate(enc, 120, 130));  // older than the history
  EXPECT_FALSE(r.invalidate(enc, 300, 301));  // the keyframe itself is gone
  EXPECT_FALSE(r.invalidate(enc, 250, 320));  // ... or the range covers it
  EXPECT_TRUE(enc.calls.empty());
  EXPECT_TRUE(r.invalidate(enc, 350, 352));
  RecordingEncoder cannot(false);
  EXPECT_FALSE(r.invalidate(cannot, 350, 352));  // e.g. libavcodec encoders
}

// A frame the receiver will not decode (lost, or sent after the loss) that is a gap hazard
// (EncodedFrame::gap_hazard) makes invalidation fall back to a keyframe.
TEST(RefInvalidationTest, AGapHazardAmongTheFramesTheReceiverMissesNeedsAKeyframe) {
  RecordingEncoder enc(true);
  RefInvalidation r;
  for (uint32_t w = 1; w <= 40; ++w)
    r.encoded(w, w, w == 1, w == 17 || w == 33);
  EXPECT_FALSE(r.invalidate(enc, 16, 16));  // 17 was sent after 16: not decoded either
  EXPECT_FALSE(r.invalidate(enc, 33, 34));
  EXPECT_TRUE(enc.calls.empty());
  EXPECT_TRUE(r.invalidate(enc, 34, 35));  // 33 arrived
  EXPECT_EQ(enc.calls, std::vector<uint32_t>{34});
}

}  // namespace
}  // namespace pf::host
