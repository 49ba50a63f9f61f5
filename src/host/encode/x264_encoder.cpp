// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/encode/x264_encoder.h"

#include <algorithm>
#include <cstdint>
#include <optional>

#include <fmt/format.h>

#include "proto/gamestream/h264_sps.h"

extern "C" {
#include <x264.h>
}

namespace pf::host {

struct X264Encoder::State {
  EncoderConfig config;
  x264_param_t param{};
  x264_t* enc = nullptr;
  int64_t last_pts = -1;
  // From the last keyframe's SPS: how to read frame_num (EncodedFrame::gap_hazard).
  std::optional<proto::gamestream::H264SpsInfo> sps;
  ~State() {
    if (enc)
      x264_encoder_close(enc);
  }
};

namespace {

void apply_rate(x264_param_t& p, int kbps, int fps) {
  p.rc.i_rc_method = X264_RC_ABR;
  p.rc.i_bitrate = kbps;
  p.rc.i_vbv_max_bitrate = kbps;
  // One frame of VBV: a frame never waits in a queue behind the previous one.
  p.rc.i_vbv_buffer_size = std::max(1, kbps / std::max(1, fps));
}

}  // namespace

X264Encoder::X264Encoder(std::unique_ptr<State> state) : state_(std::move(state)) {}
X264Encoder::~X264Encoder() = default;

Result<std::unique_ptr<X264Encoder>> X264Encoder::create(const EncoderConfig& c) {
  if (c.codec != VideoCodec::kH264)
    return make_error(StatusCode::kUnimplemented, "libx264 encodes H.264 only");
  if (c.width < 16 || c.height < 16 || c.width % 2 || c.height % 2 || c.fps < 1 ||
      c.bitrate_kbps < 1)
    return make_error(StatusCode::kInvalidArgument,
                      fmt::format("cannot encode {}x{}@{} at {} kbit/s", c.width, c.height, c.fps,
                                  c.bitrate_kbps));
  auto st = std::make_unique<State>();
  st->config = c;
  x264_param_t& p = st->param;
  if (x264_param_default_preset(&p, "ultrafast", "zerolatency") < 0)
    return make_error(StatusCode::kInternal, "libx264 has no ultrafast/zerolatency preset");
  p.i_log_level = X264_LOG_ERROR;
  p.i_width = c.width;
  p.i_height = c.height;
  p.i_csp = c.chroma_444 ? X264_CSP_I444 : X264_CSP_I420;
  p.i_fps_num = static_cast<uint32_t>(c.fps);
  p.i_fps_den = 1;
  p.i_timebase_num = 1;
  p.i_timebase_den = static_cast<uint32_t>(c.fps);
  p.b_vfr_input = 0;
  p.i_bframe = 0;
  p.b_intra_refresh = 0;  // invalidation does not work with intra refresh
  p.i_keyint_max = c.gop_frames > 0 ? c.gop_frames : X264_KEYINT_MAX_INFINITE;
  p.i_keyint_min = 1;
  p.i_dpb_size = kDpbFrames;  // older frames to fall back on; no motion search cost
  p.b_repeat_headers = 1;     // SPS/PPS before every keyframe
  p.b_annexb = 1;
  apply_rate(p, c.bitrate_kbps, c.fps);
  if (c.bit_depth != 8)
    return make_error(StatusCode::kUnimplemented,
                      "10-bit H.264: no streaming client decodes it; use HEVC or AV1");
  if (c.chroma_444 && x264_param_apply_profile(&p, "high444") < 0)
    return make_error(StatusCode::kUnimplemented, "this libx264 has no High 4:4:4 profile");
  st->enc = x264_encoder_open(&p);
  if (!st->enc)
    return make_error(StatusCode::kInternal, "libx264 refused the configuration");
  return std::unique_ptr<X264Encoder>(new X264Encoder(std::move(st)));
}

Status X264Encoder::encode(const YuvFrame& in, bool force_keyframe, EncodedFrame& out) {
  State& st = *state_;
  if (in.width != st.config.width || in.height != st.config.height)
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("frame {}x{} does not match encoder {}x{}", in.width, in.height,
                              st.config.width, st.config.height));
  if (in.bit_depth != 8)
    return Status(StatusCode::kInvalidArgument, "libx264 takes 8-bit frames only");
  if (in.full_chroma() != st.config.chroma_444)
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("a {} frame for a {} encoder", in.full_chroma() ? "4:4:4" : "4:2:0",
                              st.config.chroma_444 ? "4:4:4" : "4:2:0"));
  if (int64_t{in.index} <= st.last_pts)
    return Status(
        StatusCode::kInvalidArgument,
        fmt::format("frame index {} after {}: indices must increase", in.index, st.last_pts));
  x264_picture_t pic;
  x264_picture_init(&pic);
  pic.img.i_csp = st.param.i_csp;
  pic.img.i_plane = 3;
  // x264 copies the planes into its own frame inside encode: borrowing is safe.
  pic.img.plane[0] = const_cast<uint8_t*>(in.y.data());
  pic.img.plane[1] = const_cast<uint8_t*>(in.u.data());
  pic.img.plane[2] = const_cast<uint8_t*>(in.v.data());
  pic.img.i_stride[0] = in.width;
  pic.img.i_stride[1] = in.chroma_width();
  pic.img.i_stride[2] = in.chroma_width();
  pic.i_pts = in.index;
  pic.i_type = force_keyframe ? X264_TYPE_IDR : X264_TYPE_AUTO;
  x264_picture_t pic_out;
  x264_nal_t* nals = nullptr;
  int n = 0;
  const int bytes = x264_encoder_encode(st.enc, &nals, &n, &pic, &pic_out);
  if (bytes < 0)
    return Status(StatusCode::kInternal, "libx264 failed to encode a frame");
  if (bytes == 0 || n == 0)
    return Status(StatusCode::kInternal,
                  "libx264 produced no access unit for a frame (it must not buffer)");
  st.last_pts = in.index;
  // The NAL payloads of one call are contiguous in memory.
  out.data.assign(nals[0].p_payload, nals[0].p_payload + bytes);
  out.keyframe = pic_out.b_keyframe != 0;
  if (out.keyframe)
    st.sps = proto::gamestream::h264_sps_info(out.data);
  const auto frame_num =
      st.sps ? proto::gamestream::h264_frame_num(out.data, *st.sps) : std::optional<uint32_t>();
  out.gap_hazard = !out.keyframe && st.sps && st.sps->poc_type == 2 && frame_num == 0u;
  out.frame_index = in.index;
  out.capture_time_ns = in.capture_time_ns;
  return Status::ok();
}

void X264Encoder::set_bitrate(int kbps) {
  State& st = *state_;
  if (kbps <= 0)
    return;
  st.config.bitrate_kbps = kbps;
  apply_rate(st.param, kbps, st.config.fps);
  x264_encoder_reconfig(st.enc, &st.param);
}

bool X264Encoder::invalidate_from(uint32_t frame_index) {
  return x264_encoder_invalidate_reference(state_->enc, frame_index) == 0;
}

}  // namespace pf::host
