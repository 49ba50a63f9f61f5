// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <memory>
#include <string>

#include "host/encode/encoder_settings.h"
#include "host/encode/video_encoder.h"

namespace pf::host {

// A VideoEncoder over libavcodec, configured for low delay (no B-frames, no
// lookahead, one frame in, one access unit out) with the settings of
// encoder_settings.h: software libx264, NVENC (frames converted to NV12 and
// uploaded by the driver) or VAAPI (frames uploaded to VA surfaces). NVENC and
// VAAPI are untested on hardware: no GPU on the development machine.
class LibavEncoder final : public VideoEncoder {
 public:
  // Creates and opens the encoder, or explains why it cannot.
  static Result<std::unique_ptr<LibavEncoder>> create(
      const EncoderConfig& config,
      EncoderBackend backend = EncoderBackend::kX264);
  ~LibavEncoder() override;

  std::string name() const override;
  Status encode(const YuvFrame& frame, bool force_keyframe, EncodedFrame& out) override;
  // Takes effect with the next frame (the encoder reconfigures its rate control).
  void set_bitrate(int kbps) override;

 private:
  struct State;
  explicit LibavEncoder(std::unique_ptr<State> state);
  static Status open_staging(State& st, int /*AVPixelFormat*/ format);
  static Status open_vaapi(State& st, int /*AVPixelFormat*/ sw_format);
  std::unique_ptr<State> state_;
};

}  // namespace pf::host
