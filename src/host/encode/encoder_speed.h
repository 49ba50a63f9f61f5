// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <chrono>

#include "base/status.h"
#include "host/encode/video_encoder.h"

// Whether a software encoder holds a mode in real time on this machine
// (`punktfunk-host doctor`: x264, x265 and libaom at 1920x1080@60). Encodes the synthetic pattern
// as a stream would (a keyframe, then inter frames) and stops early once a frame takes twice the
// interval, so a slow machine pays about two frames for the answer. Thread model: a free function;
// blocks for at most about `budget` plus a frame.
namespace pf::host {

struct EncoderSpeed {
  bool real_time = false;   // the mean inter frame fits 80 % of the frame interval
  double ms_per_frame = 0;  // mean wall time of the inter frames encoded
  int frames = 0;           // inter frames timed
  double interval_ms = 0;   // 1000 / fps
};

// `codec`'s software encoder (create_video_encoder without hardware) at
// width x height @ fps.
Result<EncoderSpeed> measure_encoder_speed(VideoCodec codec,
                                           int width,
                                           int height,
                                           int fps,
                                           std::chrono::milliseconds budget);

}  // namespace pf::host
