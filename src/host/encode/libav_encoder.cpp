// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/encode/libav_encoder.h"

#include <cstring>

#include <fmt/format.h>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/error.h>
#include <libavutil/hwcontext.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
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
  AVFrame* frame = nullptr;     // what the encoder gets (borrowed planes for yuv420p)
  AVFrame* staging = nullptr;   // the encoder's format in system memory (or VAAPI's upload source)
  AVFrame* hw_frame = nullptr;  // VA surface
  AVBufferRef* hw_device = nullptr;
  SwsContext* convert = nullptr;  // I420 -> the staging format
  AVPacket* packet = nullptr;
  EncoderConfig config;
  EncoderSettings settings;
  EncoderBackend backend = EncoderBackend::kX264;

  ~State() {
    av_packet_free(&packet);
    av_frame_free(&frame);
    av_frame_free(&staging);
    av_frame_free(&hw_frame);
    if (convert)
      sws_freeContext(convert);
    avcodec_free_context(&ctx);
    av_buffer_unref(&hw_device);
  }
};

namespace {

// A frame of `format` that each captured frame (of `captured`, 8-bit 4:2:0
// or 4:4:4) is converted into (NV12, P010, 10-bit planar: the one conversion
// after capture is here).
Status open_staging_frame(AVFrame*& staging,
                          SwsContext*& convert,
                          int w,
                          int h,
                          AVPixelFormat captured,
                          AVPixelFormat format) {
  staging = av_frame_alloc();
  if (!staging)
    return Status(StatusCode::kResourceExhausted, "out of memory for a staging frame");
  staging->format = format;
  staging->width = w;
  staging->height = h;
  if (av_frame_get_buffer(staging, 0) < 0)
    return Status(StatusCode::kResourceExhausted,
                  fmt::format("cannot allocate a {} frame", av_get_pix_fmt_name(format)));
  convert = sws_getContext(w, h, captured, w, h, format, SWS_POINT, nullptr, nullptr, nullptr);
  if (!convert)
    return Status(StatusCode::kUnimplemented,
                  fmt::format("cannot convert {} to {}", av_get_pix_fmt_name(captured),
                              av_get_pix_fmt_name(format)));
  return Status::ok();
}

}  // namespace

namespace {

// What frames come in as: 8-bit 4:2:0 or 4:4:4 from a capture, or 10-bit
// from an HDR source (EncoderConfig::hdr).
AVPixelFormat captured_format(const EncoderConfig& c) {
  if (c.hdr)
    return c.chroma_444 ? AV_PIX_FMT_YUV444P10LE : AV_PIX_FMT_YUV420P10LE;
  return c.chroma_444 ? AV_PIX_FMT_YUV444P : AV_PIX_FMT_YUV420P;
}

}  // namespace

Status LibavEncoder::open_staging(State& st, int format) {
  return open_staging_frame(st.staging, st.convert, st.config.width, st.config.height,
                            captured_format(st.config), static_cast<AVPixelFormat>(format));
}

// VA-API: a device, a pool of VA surfaces of `sw_format`, an upload per frame.
Status LibavEncoder::open_vaapi(State& st, int sw_format_int) {
  const auto sw_format = static_cast<AVPixelFormat>(sw_format_int);
  int err = av_hwdevice_ctx_create(&st.hw_device, AV_HWDEVICE_TYPE_VAAPI, nullptr, nullptr, 0);
  if (err < 0)
    return Status(StatusCode::kUnavailable,
                  fmt::format("no VA-API device for {}: {}", st.settings.encoder, av_error(err)));
  AVBufferRef* frames = av_hwframe_ctx_alloc(st.hw_device);
  auto* fc = reinterpret_cast<AVHWFramesContext*>(frames->data);
  fc->format = AV_PIX_FMT_VAAPI;
  fc->sw_format = sw_format;
  fc->width = st.config.width;
  fc->height = st.config.height;
  fc->initial_pool_size = 4;
  err = av_hwframe_ctx_init(frames);
  if (err < 0) {
    av_buffer_unref(&frames);
    return Status(StatusCode::kUnavailable,
                  fmt::format("VA-API surfaces for {}x{}: {}", st.config.width, st.config.height,
                              av_error(err)));
  }
  st.ctx->pix_fmt = AV_PIX_FMT_VAAPI;
  st.ctx->hw_frames_ctx = frames;  // owned by the context now
  st.hw_frame = av_frame_alloc();
  return Status::ok();
}

Result<std::unique_ptr<LibavEncoder>> LibavEncoder::create(const EncoderConfig& config,
                                                           EncoderBackend backend) {
  if (config.width < 16 || config.height < 16 || config.width % 2 || config.height % 2)
    return make_error(StatusCode::kInvalidArgument,
                      fmt::format("encoder mode {}x{} must be even and at least 16x16",
                                  config.width, config.height));
  auto settings = settings_for(backend, config);
  if (!settings)
    return tl::unexpected(settings.error());
  auto st = std::make_unique<State>();
  st->config = config;
  st->settings = *settings;
  st->backend = backend;
  st->codec = avcodec_find_encoder_by_name(settings->encoder.c_str());
  if (st->codec == nullptr)
    return make_error(StatusCode::kUnavailable,
                      fmt::format("this libavcodec has no {} encoder", settings->encoder));
  st->ctx = avcodec_alloc_context3(st->codec);
  st->frame = av_frame_alloc();
  st->packet = av_packet_alloc();
  if (!st->ctx || !st->frame || !st->packet)
    return make_error(StatusCode::kResourceExhausted, "out of memory creating the encoder");
  AVCodecContext* c = st->ctx;
  c->width = config.width;
  c->height = config.height;
  c->time_base = AVRational{1, config.fps};
  c->framerate = AVRational{config.fps, 1};
  c->bit_rate = settings->bit_rate;
  c->rc_max_rate = c->bit_rate;
  c->rc_buffer_size = settings->rc_buffer_size;
  c->gop_size = settings->gop;
  c->max_b_frames = settings->max_b_frames;
  c->thread_count = settings->threads;
  if (settings->low_delay_flag)
    c->flags |= AV_CODEC_FLAG_LOW_DELAY;
  for (const auto& [k, v] : settings->options)
    av_opt_set(c->priv_data, k.c_str(), v.c_str(), 0);

  for (const auto& [k, v] : settings->context_options)
    av_opt_set(c, k.c_str(), v.c_str(), 0);
  const bool vaapi = settings->pixel_format == "vaapi";
  const AVPixelFormat want =
      av_get_pix_fmt((vaapi ? settings->sw_format : settings->pixel_format).c_str());
  if (want == AV_PIX_FMT_NONE)
    return make_error(StatusCode::kInternal,
                      fmt::format("unknown pixel format '{}'", settings->pixel_format));
  c->pix_fmt = want;
  if (want != captured_format(config) || vaapi)  // else the captured planes go in as they are
    if (Status s = open_staging(*st, want); !s.is_ok())
      return tl::unexpected(s);
  if (vaapi)
    if (Status s = open_vaapi(*st, want); !s.is_ok())
      return tl::unexpected(s);
  int err = avcodec_open2(c, st->codec, nullptr);
  if (err < 0)
    return make_error(StatusCode::kUnavailable,
                      fmt::format("cannot open {} at {}x{}@{}: {}", settings->encoder, config.width,
                                  config.height, config.fps, av_error(err)));
  st->frame->format = captured_format(config);
  st->frame->width = config.width;
  st->frame->height = config.height;
  return std::unique_ptr<LibavEncoder>(new LibavEncoder(std::move(st)));
}

LibavEncoder::LibavEncoder(std::unique_ptr<State> state) : state_(std::move(state)) {}
LibavEncoder::~LibavEncoder() = default;

std::string LibavEncoder::name() const {
  const auto& st = *state_;
  return fmt::format("{} ({}, libavcodec)", st.settings.encoder,
                     st.backend == EncoderBackend::kNvenc || st.backend == EncoderBackend::kVaapi
                         ? "hardware"
                         : "software");
}

void LibavEncoder::set_bitrate(int kbps) {
  State& st = *state_;
  if (kbps <= 0)
    return;
  st.config.bitrate_kbps = kbps;
  st.ctx->bit_rate = int64_t{kbps} * 1000;
  st.ctx->rc_max_rate = st.ctx->bit_rate;
  st.ctx->rc_buffer_size = static_cast<int>(st.ctx->bit_rate / st.config.fps);
}

Status LibavEncoder::encode(const YuvFrame& in, bool force_keyframe, EncodedFrame& out) {
  State& st = *state_;
  if (in.width != st.config.width || in.height != st.config.height)
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("frame {}x{} does not match encoder {}x{}", in.width, in.height,
                              st.config.width, st.config.height));
  if (in.full_chroma() != st.config.chroma_444)
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("a {} frame for a {} encoder", in.full_chroma() ? "4:4:4" : "4:2:0",
                              st.config.chroma_444 ? "4:4:4" : "4:2:0"));
  if (in.bit_depth != (st.config.hdr ? 10 : 8))
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("a {}-bit frame for an encoder of {} pictures", in.bit_depth,
                              st.config.hdr ? "10-bit HDR" : "8-bit captured"));
  AVFrame* f = st.frame;
  // The encoder reads the planes synchronously inside send_frame (zerolatency, one
  // thread), so borrowing the caller's buffers is safe and avoids a copy.
  f->data[0] = const_cast<uint8_t*>(in.y.data());
  f->data[1] = const_cast<uint8_t*>(in.u.data());
  f->data[2] = const_cast<uint8_t*>(in.v.data());
  f->linesize[0] = in.luma_stride();
  f->linesize[1] = in.chroma_stride();
  f->linesize[2] = in.chroma_stride();
  if (st.staging) {
    // The encoder's format (NV12 for NVENC and VAAPI's upload, 10-bit, 4:4:4).
    if (av_frame_make_writable(st.staging) < 0)
      return Status(StatusCode::kResourceExhausted, "staging frame not writable");
    sws_scale(st.convert, f->data, f->linesize, 0, in.height, st.staging->data,
              st.staging->linesize);
    f = st.staging;
    if (st.hw_frame) {
      av_frame_unref(st.hw_frame);
      if (av_hwframe_get_buffer(st.ctx->hw_frames_ctx, st.hw_frame, 0) < 0 ||
          av_hwframe_transfer_data(st.hw_frame, st.staging, 0) < 0)
        return Status(StatusCode::kUnavailable, "cannot upload the frame to a VA surface");
      f = st.hw_frame;
    }
  }
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
