// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/encode/encoder_speed.h"

#include "host/capture/synthetic_source.h"
#include "host/encode/encoder_factory.h"

namespace pf::host {

Result<EncoderSpeed> measure_encoder_speed(VideoCodec codec,
                                           int width,
                                           int height,
                                           int fps,
                                           std::chrono::milliseconds budget) {
  using Clock = std::chrono::steady_clock;
  EncoderConfig c;
  c.codec = codec;
  c.width = width;
  c.height = height;
  c.fps = fps;
  c.bitrate_kbps = 20'000;
  auto enc = create_video_encoder(c);
  if (!enc)
    return tl::unexpected(enc.error());
  SyntheticSource source(width, height);
  YuvFrame frame;
  EncodedFrame au;
  EncoderSpeed r;
  r.interval_ms = 1000.0 / fps;
  double total_ms = 0;
  const auto deadline = Clock::now() + budget;
  for (uint32_t i = 1; i == 1 || (i <= 2 || Clock::now() < deadline); ++i) {
    source.render(i, 0, frame);
    const auto t0 = Clock::now();
    if (auto st = (*enc)->encode(frame, i == 1, au); !st.is_ok())
      return tl::unexpected(st);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    if (i == 1)
      continue;  // the keyframe: not what a stream's frames cost
    total_ms += ms;
    ++r.frames;
    if (ms > 2 * r.interval_ms)
      break;  // clearly not real time: no need to spend the budget
  }
  r.ms_per_frame = total_ms / r.frames;
  r.real_time = r.ms_per_frame <= 0.8 * r.interval_ms;
  return r;
}

}  // namespace pf::host
