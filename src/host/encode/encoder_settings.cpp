// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/encode/encoder_settings.h"

#include <fmt/format.h>

namespace pf::host {

const char* to_string(EncoderBackend b) {
  switch (b) {
    case EncoderBackend::kX264:
      return "x264";
    case EncoderBackend::kX265:
      return "x265";
    case EncoderBackend::kAom:
      return "aom";
    case EncoderBackend::kNvenc:
      return "nvenc";
    case EncoderBackend::kVaapi:
      return "vaapi";
  }
  return "?";
}

const char* to_string(VideoCodec c) {
  switch (c) {
    case VideoCodec::kH264:
      return "h264";
    case VideoCodec::kHevc:
      return "hevc";
    case VideoCodec::kAv1:
      return "av1";
  }
  return "?";
}

Result<EncoderSettings> settings_for(EncoderBackend backend, const EncoderConfig& c) {
  if (c.fps <= 0 || c.bitrate_kbps <= 0)
    return make_error(StatusCode::kInvalidArgument, "fps and bitrate must be positive");
  EncoderSettings s;
  s.bit_rate = int64_t{c.bitrate_kbps} * 1000;
  // One frame of VBV: every frame fits its share of the bitrate, so no frame
  // is a burst that sits in queues.
  s.rc_buffer_size = static_cast<int>(s.bit_rate / c.fps);
  s.gop = c.gop_frames > 0 ? c.gop_frames : 100'000;
  s.max_b_frames = 0;
  switch (backend) {
    case EncoderBackend::kX264:
      if (c.codec != VideoCodec::kH264)
        return make_error(StatusCode::kUnimplemented,
                          fmt::format("software {} is too slow for real time here; use a hardware "
                                      "encoder or H.264",
                                      to_string(c.codec)));
      s.encoder = "libx264";
      s.pixel_format = "yuv420p";
      s.options = {{"preset", "ultrafast"}, {"tune", "zerolatency"}, {"forced-idr", "1"}};
      break;
    case EncoderBackend::kX265:
      if (c.codec != VideoCodec::kHevc)
        return make_error(StatusCode::kUnimplemented, "x265 encodes HEVC only");
      s.encoder = "libx265";
      s.pixel_format = "yuv420p";
      // One frame in, one access unit out: no B-frames, no lookahead, one
      // frame thread (more would pipeline frames); parameter sets repeated
      // on every IDR (a client joining or recovering needs VPS/SPS/PPS
      // there); no scene-cut keyframes (IDRs only when a client asks).
      s.options = {{"preset", "ultrafast"},
                   {"tune", "zerolatency"},
                   {"forced-idr", "1"},
                   {"x265-params",
                    "repeat-headers=1:bframes=0:rc-lookahead=0:frame-threads=1:scenecut=0:"
                    "open-gop=0:aud=0:info=0:log-level=error"}};
      break;
    case EncoderBackend::kAom:
      if (c.codec != VideoCodec::kAv1)
        return make_error(StatusCode::kUnimplemented, "libaom encodes AV1 only");
      s.encoder = "libaom-av1";
      s.pixel_format = "yuv420p";
      // libaom's real-time mode: one frame in, one temporal unit out (no
      // lag), keyframes when asked, speed 10 (FFmpeg's option stops at 8;
      // the library's own parameter goes further), rows in parallel on two
      // threads. SVT-AV1 1.4 (Debian 12) was measured and rejected: its
      // low-delay mode hands frames out three frames late and ignores
      // forced keyframes (docs/implementation-plan.md).
      s.options = {{"usage", "realtime"},
                   {"cpu-used", "8"},
                   {"lag-in-frames", "0"},
                   {"aom-params", "cpu-used=10:row-mt=1"}};
      s.threads = 2;
      break;
    case EncoderBackend::kNvenc:
      s.encoder = fmt::format("{}_nvenc", to_string(c.codec));
      s.pixel_format = "nv12";  // system memory upload; CUDA frames come with GPU capture
      s.options = {{"preset", "p1"},      {"tune", "ull"},  {"rc", "cbr"},
                   {"zerolatency", "1"},  {"delay", "0"},   {"forced-idr", "1"},
                   {"rc-lookahead", "0"}, {"surfaces", "1"}};
      if (c.codec != VideoCodec::kAv1)
        s.options["intra-refresh"] = "0";  // reference invalidation, not refresh waves
      break;
    case EncoderBackend::kVaapi:
      s.encoder = fmt::format("{}_vaapi", to_string(c.codec));
      s.pixel_format = "vaapi";  // frames uploaded to VA surfaces (nv12 underneath)
      s.hw_device = "vaapi";
      s.options = {{"rc_mode", "CBR"}, {"async_depth", "1"}, {"idr_interval", "0"}};
      if (c.codec == VideoCodec::kH264)
        s.options["profile"] = "high";
      break;
  }
  return s;
}

}  // namespace pf::host
