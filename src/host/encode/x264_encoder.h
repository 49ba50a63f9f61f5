// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <memory>
#include <string>

#include "host/encode/video_encoder.h"

namespace pf::host {

// Software H.264 with libx264 directly (not through libavcodec), for the one
// thing libavcodec does not expose: reference-frame invalidation. Low delay
// as in encoder_settings.h (ultrafast, zerolatency, no B-frames, infinite GOP,
// CBR with a one-frame VBV), plus a decoded picture buffer of 8 frames so
// that after a loss the encoder can fall back on a frame the receiver still
// has instead of sending a keyframe. Frame indices (EncodedFrame::frame_index)
// are the input frames' indices and must increase.
// Thread model: one thread.
class X264Encoder final : public VideoEncoder {
 public:
  static constexpr int kDpbFrames = 8;

  static Result<std::unique_ptr<X264Encoder>> create(const EncoderConfig& config);
  ~X264Encoder() override;

  std::string name() const override { return "libx264 (direct, reference invalidation)"; }
  Status encode(const YuvFrame& frame, bool force_keyframe, EncodedFrame& out) override;
  void set_bitrate(int kbps) override;
  bool invalidate_from(uint32_t frame_index) override;

 private:
  struct State;
  explicit X264Encoder(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace pf::host
