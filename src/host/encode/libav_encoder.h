// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <memory>
#include <string>

#include "host/encode/video_encoder.h"

namespace pf::host {

// A VideoEncoder over libavcodec, configured for low delay (no B-frames, no
// lookahead, one frame in, one access unit out). Today: software libx264
// (`ultrafast` + `zerolatency`). Hardware encoders (NVENC, VAAPI) arrive with
// the media pipeline issue.
class LibavEncoder final : public VideoEncoder {
 public:
  // Creates and opens the encoder, or explains why it cannot.
  static Result<std::unique_ptr<LibavEncoder>> create(const EncoderConfig& config);
  ~LibavEncoder() override;

  std::string name() const override;
  Status encode(const I420Frame& frame, bool force_keyframe, EncodedFrame& out) override;

 private:
  struct State;
  explicit LibavEncoder(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace pf::host
