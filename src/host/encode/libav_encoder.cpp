// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/encode/libav_encoder.h"

#include <cstring>

#include <fmt/format.h>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/error.h>
#include <libavutil/opt.h>
}

namespace pf::host {
namespace {

std::string av_error(int err) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(err, buf, sizeof(buf));
  return buf;
}

}  // namespace

struct LibavEncoder::State {
  const AVCodec* codec = nullptr;
  AVCodecContext* ctx = nullptr;
  AVFrame* frame = nullptr;
  AVPacket* packet = nullptr;
  EncoderConfig config;

  ~State() {
    av_packet_free(&packet);
    av_frame_free(&frame);
    avcodec_free_context(&ctx);
  }
};

Result<std::unique_ptr<LibavEncoder>> LibavEncoder::create(const EncoderConfig& config) {
  if (config.codec != VideoCodec::kH264)
    return make_error(StatusCode::kUnimplemented,
                      "only H.264 (libx264) is wired up so far; HEVC/AV1 come with the media "
                      "pipeline");
  if (config.width < 16 || config.height < 16 || config.width % 2 || config.height % 2)
    return make_error(StatusCode::kInvalidArgument,
                      fmt::format("encoder mode {}x{} must be even and at least 16x16",
                                  config.width, config.height));
  auto st = std::make_unique<State>();
  st->config = config;
  st->codec = avcodec_find_encoder_by_name("libx264");
  if (st->codec == nullptr)
    return make_error(StatusCode::kUnavailable,
                      "this libavcodec has no libx264 encoder (install Debian's libavcodec59)");
  st->ctx = avcodec_alloc_context3(st->codec);
  st->frame = av_frame_alloc();
  st->packet = av_packet_alloc();
  if (!st->ctx || !st->frame || !st->packet)
    return make_error(StatusCode::kResourceExhausted, "out of memory creating the encoder");
  AVCodecContext* c = st->ctx;
  c->width = config.width;
  c->height = config.height;
  c->pix_fmt = AV_PIX_FMT_YUV420P;
  c->time_base = AVRational{1, config.fps};
  c->framerate = AVRational{config.fps, 1};
  c->bit_rate = static_cast<int64_t>(config.bitrate_kbps) * 1000;
  c->rc_max_rate = c->bit_rate;
  // One frame of VBV: each frame fits its share of the bitrate, bounding burst size.
  c->rc_buffer_size = static_cast<int>(c->bit_rate / config.fps);
  c->gop_size = config.gop_frames > 0 ? config.gop_frames : 100000;
  c->max_b_frames = 0;
  c->thread_count = 1;
  c->flags |= AV_CODEC_FLAG_LOW_DELAY;
  av_opt_set(c->priv_data, "preset", "ultrafast", 0);
  av_opt_set(c->priv_data, "tune", "zerolatency", 0);
  av_opt_set(c->priv_data, "forced-idr", "1", 0);
  int err = avcodec_open2(c, st->codec, nullptr);
  if (err < 0)
    return make_error(StatusCode::kUnavailable,
                      fmt::format("cannot open libx264 at {}x{}@{}: {}", config.width,
                                  config.height, config.fps, av_error(err)));
  st->frame->format = AV_PIX_FMT_YUV420P;
  st->frame->width = config.width;
  st->frame->height = config.height;
  return std::unique_ptr<LibavEncoder>(new LibavEncoder(std::move(st)));
}

LibavEncoder::LibavEncoder(std::unique_ptr<State> state) : state_(std::move(state)) {}
LibavEncoder::~LibavEncoder() = default;

std::string LibavEncoder::name() const {
  return "libx264 (software, libavcodec)";
}

Status LibavEncoder::encode(const I420Frame& in, bool force_keyframe, EncodedFrame& out) {
  State& st = *state_;
  if (in.width != st.config.width || in.height != st.config.height)
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("frame {}x{} does not match encoder {}x{}", in.width, in.height,
                              st.config.width, st.config.height));
  AVFrame* f = st.frame;
  // The encoder reads the planes synchronously inside send_frame (zerolatency, one
  // thread), so borrowing the caller's buffers is safe and avoids a copy.
  f->data[0] = const_cast<uint8_t*>(in.y.data());
  f->data[1] = const_cast<uint8_t*>(in.u.data());
  f->data[2] = const_cast<uint8_t*>(in.v.data());
  f->linesize[0] = in.width;
  f->linesize[1] = in.chroma_width();
  f->linesize[2] = in.chroma_width();
  f->pts = in.index;
  f->pict_type = force_keyframe ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
  f->key_frame = force_keyframe ? 1 : 0;
  int err = avcodec_send_frame(st.ctx, f);
  if (err < 0)
    return Status(StatusCode::kInternal, "encoder refused a frame: " + av_error(err));
  out.data.clear();
  out.keyframe = false;
  out.frame_index = in.index;
  out.capture_time_ns = in.capture_time_ns;
  while (true) {
    err = avcodec_receive_packet(st.ctx, st.packet);
    if (err == AVERROR(EAGAIN) || err == AVERROR_EOF)
      break;
    if (err < 0)
      return Status(StatusCode::kInternal, "encoder failed: " + av_error(err));
    out.data.insert(out.data.end(), st.packet->data, st.packet->data + st.packet->size);
    out.keyframe = out.keyframe || (st.packet->flags & AV_PKT_FLAG_KEY);
    av_packet_unref(st.packet);
  }
  if (out.data.empty())
    return Status(StatusCode::kInternal,
                  "encoder produced no access unit for a frame "
                  "(a low-delay configuration must not buffer)");
  return Status::ok();
}

}  // namespace pf::host
