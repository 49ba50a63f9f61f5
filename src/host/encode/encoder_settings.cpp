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

namespace {

Status unimplemented(std::string why) {
  return Status(StatusCode::kUnimplemented, std::move(why));
}

// The software encoders' input format: planar, 8- or 10-bit, 4:2:0 or 4:4:4.
std::string planar_format(const EncoderConfig& c) {
  return std::string(c.chroma_444 ? "yuv444p" : "yuv420p") + (c.bit_depth == 10 ? "10le" : "");
}

// The colour description written into the stream: BT.2020 + PQ for HDR,
// BT.709 for 10-bit SDR; 8-bit SDR streams keep the encoders' defaults.
void describe_colour(const EncoderConfig& c, EncoderSettings& s) {
  if (!c.hdr && c.bit_depth == 8)
    return;
  s.context_options["color_primaries"] = c.hdr ? "bt2020" : "bt709";
  s.context_options["color_trc"] = c.hdr ? "smpte2084" : "bt709";
  s.context_options["colorspace"] = c.hdr ? "bt2020nc" : "bt709";
  s.context_options["color_range"] = "tv";
}

Status x264_settings(const EncoderConfig& c, EncoderSettings& s) {
  if (c.codec != VideoCodec::kH264)
    return unimplemented(
        fmt::format("software {} is too slow for real time here; use a hardware encoder or H.264",
                    to_string(c.codec)));
  if (c.bit_depth != 8)
    return unimplemented("10-bit H.264: no streaming client decodes it; use HEVC or AV1");
  s.encoder = "libx264";
  s.pixel_format = planar_format(c);
  s.options = {{"preset", "ultrafast"}, {"tune", "zerolatency"}, {"forced-idr", "1"}};
  if (c.chroma_444)
    s.options["profile"] = "high444";
  return Status::ok();
}

Status x265_settings(const EncoderConfig& c, EncoderSettings& s) {
  if (c.codec != VideoCodec::kHevc)
    return unimplemented("x265 encodes HEVC only");
  s.encoder = "libx265";
  s.pixel_format = planar_format(c);
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
  if (c.hdr && c.hdr_metadata) {
    // HDR10: the mastering display and light levels as SEI (x265 wants G, B, R
    // in 1/50000 and luminance in 1/10000 cd/m2), and the colour description.
    const HdrMetadata& m = *c.hdr_metadata;
    s.options["x265-params"] += fmt::format(
        ":hdr10=1:hdr10-opt=0:master-display=G({},{})B({},{})R({},{})WP({},{})L({},{}):"
        "max-cll={},{}",
        m.green_x, m.green_y, m.blue_x, m.blue_y, m.red_x, m.red_y, m.white_x, m.white_y,
        uint32_t{m.max_luminance} * 10000, m.min_luminance, m.max_cll, m.max_fall);
  }
  // Main, Main10, or the range extensions' 4:4:4 profiles.
  s.options["profile"] = c.chroma_444 ? (c.bit_depth == 10 ? "main444-10" : "main444-8")
                                      : (c.bit_depth == 10 ? "main10" : "main");
  return Status::ok();
}

Status aom_settings(const EncoderConfig& c, EncoderSettings& s) {
  if (c.codec != VideoCodec::kAv1)
    return unimplemented("libaom encodes AV1 only");
  s.encoder = "libaom-av1";
  s.pixel_format = planar_format(c);
  // libaom's real-time mode: one frame in, one temporal unit out (no
  // lag), keyframes when asked, speed 10 (FFmpeg's option stops at 8;
  // the library's own parameter goes further), rows in parallel on two
  // threads. SVT-AV1 1.4 (Debian 12) was measured and rejected: its
  // low-delay mode hands frames out three frames late and ignores
  // forced keyframes (docs/implementation-plan.md). 10-bit streams stay at
  // speed 8: at 10, libaom 3.6 with 10-bit input encodes stale pictures
  // (EncoderFactoryTest.Av1TenBitPicturesAreTheirFrames).
  s.options = {{"usage", "realtime"},
               {"cpu-used", "8"},
               {"lag-in-frames", "0"},
               {"auto-alt-ref", "0"},
               {"aom-params", c.bit_depth == 10 ? "row-mt=1" : "cpu-used=10:row-mt=1"}};
  if (c.chroma_444)
    s.context_options["profile"] = "1";  // AV1 High: 4:4:4 (Main covers 8- and 10-bit 4:2:0)
  s.threads = 2;
  return Status::ok();
}

Status nvenc_settings(const EncoderConfig& c, EncoderSettings& s) {
  if (c.bit_depth == 10 && c.codec == VideoCodec::kH264)
    return unimplemented("NVENC has no 10-bit H.264");
  if (c.chroma_444 && c.codec == VideoCodec::kAv1)
    return unimplemented("NVENC's AV1 has no 4:4:4");
  s.encoder = fmt::format("{}_nvenc", to_string(c.codec));
  // System memory upload; CUDA frames come with GPU capture.
  s.pixel_format = c.chroma_444 ? (c.bit_depth == 10 ? "yuv444p16le" : "yuv444p")
                                : (c.bit_depth == 10 ? "p010le" : "nv12");
  s.options = {{"preset", "p1"}, {"tune", "ull"},     {"rc", "cbr"},         {"zerolatency", "1"},
               {"delay", "0"},   {"forced-idr", "1"}, {"rc-lookahead", "0"}, {"surfaces", "1"}};
  if (c.codec != VideoCodec::kAv1)
    s.options["intra-refresh"] = "0";  // reference invalidation, not refresh waves
  if (c.codec == VideoCodec::kH264 && c.chroma_444)
    s.options["profile"] = "high444p";
  else if (c.codec == VideoCodec::kHevc && (c.chroma_444 || c.bit_depth == 10))
    s.options["profile"] = c.chroma_444 ? "rext" : "main10";
  return Status::ok();
}

Status vaapi_settings(const EncoderConfig& c, EncoderSettings& s) {
  if (c.bit_depth == 10 && c.codec == VideoCodec::kH264)
    return unimplemented("VA-API has no 10-bit H.264");
  if (c.chroma_444)
    return unimplemented("4:4:4 over VA-API is not wired (few drivers encode it)");
  s.encoder = fmt::format("{}_vaapi", to_string(c.codec));
  s.pixel_format = "vaapi";  // frames uploaded to VA surfaces
  s.sw_format = c.bit_depth == 10 ? "p010" : "nv12";
  s.hw_device = "vaapi";
  s.options = {{"rc_mode", "CBR"}, {"async_depth", "1"}, {"idr_interval", "0"}};
  if (c.codec == VideoCodec::kH264)
    s.options["profile"] = "high";
  else if (c.codec == VideoCodec::kHevc && c.bit_depth == 10)
    s.options["profile"] = "main10";
  return Status::ok();
}

}  // namespace

Result<EncoderSettings> settings_for(EncoderBackend backend, const EncoderConfig& c) {
  if (c.fps <= 0 || c.bitrate_kbps <= 0)
    return make_error(StatusCode::kInvalidArgument, "fps and bitrate must be positive");
  if (c.bit_depth != 8 && c.bit_depth != 10)
    return make_error(StatusCode::kInvalidArgument,
                      fmt::format("bit depth {}: 8 or 10", c.bit_depth));
  if (c.hdr && c.bit_depth != 10)
    return make_error(StatusCode::kInvalidArgument, "HDR needs 10 bits per sample");
  EncoderSettings s;
  s.bit_rate = int64_t{c.bitrate_kbps} * 1000;
  // One frame of VBV: every frame fits its share of the bitrate, so no frame
  // is a burst that sits in queues.
  s.rc_buffer_size = static_cast<int>(s.bit_rate / c.fps);
  s.gop = c.gop_frames > 0 ? c.gop_frames : 100'000;
  s.max_b_frames = 0;
  Status st;
  switch (backend) {
    case EncoderBackend::kX264:
      st = x264_settings(c, s);
      break;
    case EncoderBackend::kX265:
      st = x265_settings(c, s);
      break;
    case EncoderBackend::kAom:
      st = aom_settings(c, s);
      break;
    case EncoderBackend::kNvenc:
      st = nvenc_settings(c, s);
      break;
    case EncoderBackend::kVaapi:
      st = vaapi_settings(c, s);
      break;
  }
  if (!st.is_ok())
    return tl::unexpected(st);
  describe_colour(c, s);
  return s;
}

}  // namespace pf::host
