// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/decode/decoder.h"
#include "client/decode/tone_map.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/error.h>
#include <libavutil/hwcontext.h>
#include <libavutil/mastering_display_metadata.h>
#include <libavutil/pixdesc.h>
#include <libavutil/pixfmt.h>
#include <libswscale/swscale.h>
}

#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

namespace pf::client {

struct VideoDecoder::Impl {
  AVCodecContext* ctx = nullptr;
  AVPacket* pkt = nullptr;
  AVFrame* frame = nullptr;
  AVFrame* sw = nullptr;      // VAAPI: the picture copied back from the GPU (NV12)
  AVBufferRef* hw = nullptr;  // VAAPI device
  std::vector<uint8_t> u, v;  // VAAPI: the chroma planes split from NV12
  std::string fallback;       // why kAuto took software
  AVFrame* to8 = nullptr;     // 10-bit or 4:4:4 pictures as 8-bit 4:2:0
  SwsContext* convert = nullptr;
  std::optional<proto::native::HdrMetadata> hdr;  // the stream's last mastering metadata
  std::array<uint8_t, 256> tone_map{};            // for HDR pictures, made for tone_map_peak
  int tone_map_peak = -1;
  ~Impl() {
    if (convert)
      sws_freeContext(convert);
    av_frame_free(&to8);
    avcodec_free_context(&ctx);
    av_packet_free(&pkt);
    av_frame_free(&frame);
    av_frame_free(&sw);
    av_buffer_unref(&hw);
  }
};

constexpr const char* kRenderNode = "/dev/dri/renderD128";

namespace {
std::string av_error(int rc) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(rc, buf, sizeof buf);
  return buf;
}
}  // namespace

Result<DecoderBackend> parse_decoder_backend(std::string_view name) {
  if (name == "auto")
    return DecoderBackend::kAuto;
  if (name == "software")
    return DecoderBackend::kSoftware;
  if (name == "vaapi")
    return DecoderBackend::kVaapi;
  return make_error(StatusCode::kInvalidArgument,
                    "unknown decoder '" + std::string(name) + "': auto, software or vaapi");
}

DecoderProbe probe_vaapi_decode() {
  if (::access(kRenderNode, F_OK) != 0)
    return {false, std::string(kRenderNode) + " is missing (no GPU with a VA-API driver)"};
  if (::access(kRenderNode, R_OK | W_OK) != 0)
    return {false,
            std::string(kRenderNode) + " is not accessible (add the user to the render group)"};
  AVBufferRef* hw = nullptr;
  const int rc = av_hwdevice_ctx_create(&hw, AV_HWDEVICE_TYPE_VAAPI, kRenderNode, nullptr, 0);
  if (rc < 0)
    return {false, "the VA-API driver does not open: " + av_error(rc)};
  av_buffer_unref(&hw);
  return {true, "VA-API on " + std::string(kRenderNode)};
}

void split_nv12_chroma(const uint8_t* uv,
                       int uv_stride,
                       int width,
                       int height,
                       uint8_t* u,
                       uint8_t* v) {
  const int cw = (width + 1) / 2, ch = (height + 1) / 2;
  for (int y = 0; y < ch; ++y) {
    const uint8_t* row = uv + static_cast<ptrdiff_t>(y) * uv_stride;
    for (int x = 0; x < cw; ++x) {
      u[y * cw + x] = row[2 * x];
      v[y * cw + x] = row[2 * x + 1];
    }
  }
}

namespace {
AVPixelFormat pick_vaapi(AVCodecContext*, const AVPixelFormat* formats) {
  for (const AVPixelFormat* f = formats; *f != AV_PIX_FMT_NONE; ++f)
    if (*f == AV_PIX_FMT_VAAPI)
      return *f;
  return formats[0];  // the driver cannot decode this stream: software
}
}  // namespace

const char* VideoDecoder::backend_name() const {
  return impl_->hw ? "vaapi" : "software";
}

const std::string& VideoDecoder::fallback_reason() const {
  return impl_->fallback;
}

Result<std::unique_ptr<VideoDecoder>> VideoDecoder::create(uint8_t codec, DecoderBackend backend) {
  const AVCodecID id = codec == 2   ? AV_CODEC_ID_HEVC
                       : codec == 4 ? AV_CODEC_ID_AV1
                                    : AV_CODEC_ID_H264;
  const AVCodec* c = avcodec_find_decoder(id);
  if (!c)
    return make_error(StatusCode::kUnavailable, "libavcodec has no decoder for this codec");
  std::unique_ptr<VideoDecoder> d(new VideoDecoder());
  d->impl_ = std::make_unique<Impl>();
  Impl& im = *d->impl_;
  im.ctx = avcodec_alloc_context3(c);
  im.pkt = av_packet_alloc();
  im.frame = av_frame_alloc();
  if (!im.ctx || !im.pkt || !im.frame)
    return make_error(StatusCode::kResourceExhausted, "out of memory for the decoder");
  im.ctx->flags |= AV_CODEC_FLAG_LOW_DELAY;
  im.ctx->flags2 |= AV_CODEC_FLAG2_FAST;
  im.ctx->thread_count = 1;  // frame threading would add a frame of delay per thread
  if (backend != DecoderBackend::kSoftware) {
    const DecoderProbe p = probe_vaapi_decode();
    if (!p.available && backend == DecoderBackend::kVaapi)
      return make_error(StatusCode::kUnavailable, "VA-API decoding: " + p.reason);
    if (!p.available)
      im.fallback = p.reason;
    else if (av_hwdevice_ctx_create(&im.hw, AV_HWDEVICE_TYPE_VAAPI, kRenderNode, nullptr, 0) < 0)
      im.fallback = "the VA-API device did not open";
    if (im.hw) {
      im.ctx->hw_device_ctx = av_buffer_ref(im.hw);
      im.ctx->get_format = pick_vaapi;
      im.sw = av_frame_alloc();
      if (!im.sw)
        return make_error(StatusCode::kResourceExhausted, "out of memory for the decoder");
    }
  }
  if (int rc = avcodec_open2(im.ctx, c, nullptr); rc < 0)
    return make_error(StatusCode::kInternal, "cannot open the decoder: " + av_error(rc));
  return d;
}

VideoDecoder::~VideoDecoder() = default;

namespace {

// A picture's HDR description: its colour tags, and the mastering display and
// light levels of the SEI that came with it (kept for the pictures after it).
void read_hdr(const AVFrame* f,
              std::optional<proto::native::HdrMetadata>& last,
              DecodedPicture& p) {
  p.hdr_pq = f->color_primaries == AVCOL_PRI_BT2020 && f->color_trc == AVCOL_TRC_SMPTE2084;
  const AVFrameSideData* md = av_frame_get_side_data(f, AV_FRAME_DATA_MASTERING_DISPLAY_METADATA);
  if (md && md->size >= sizeof(AVMasteringDisplayMetadata)) {
    const auto* d = reinterpret_cast<const AVMasteringDisplayMetadata*>(md->data);
    const auto at = [](AVRational r, int den) {
      return static_cast<uint16_t>(std::clamp(av_q2d(r) * den + 0.5, 0.0, 65535.0));
    };
    proto::native::HdrMetadata m;
    // Red, green, blue: libavcodec's order too.
    for (int c = 0; c < 3; ++c) {
      m.values[2 * c] = at(d->display_primaries[c][0], 50000);
      m.values[2 * c + 1] = at(d->display_primaries[c][1], 50000);
    }
    m.values[6] = at(d->white_point[0], 50000);
    m.values[7] = at(d->white_point[1], 50000);
    m.values[8] = at(d->max_luminance, 1);
    m.values[9] = at(d->min_luminance, 10000);
    if (const AVFrameSideData* cl = av_frame_get_side_data(f, AV_FRAME_DATA_CONTENT_LIGHT_LEVEL);
        cl && cl->size >= sizeof(AVContentLightMetadata)) {
      const auto* l = reinterpret_cast<const AVContentLightMetadata*>(cl->data);
      m.values[10] = static_cast<uint16_t>(std::min(l->MaxCLL, 65535u));
      m.values[11] = static_cast<uint16_t>(std::min(l->MaxFALL, 65535u));
    }
    last = m;
  }
  p.hdr_metadata = last;
}

// Another format (10-bit, 4:4:4) brought to 8-bit 4:2:0 with libswscale.
Result<AVFrame*> convert_to_8bit_420(AVFrame*& out, SwsContext*& convert, const AVFrame* f) {
  if (!out || out->width != f->width || out->height != f->height) {
    av_frame_free(&out);
    out = av_frame_alloc();
    if (!out)
      return make_error(StatusCode::kResourceExhausted, "out of memory for a picture");
    out->format = AV_PIX_FMT_YUV420P;
    out->width = f->width;
    out->height = f->height;
    if (av_frame_get_buffer(out, 0) < 0)
      return make_error(StatusCode::kResourceExhausted, "out of memory for a picture");
  }
  convert = sws_getCachedContext(convert, f->width, f->height,
                                 static_cast<AVPixelFormat>(f->format), f->width, f->height,
                                 AV_PIX_FMT_YUV420P, SWS_POINT, nullptr, nullptr, nullptr);
  if (!convert)
    return make_error(StatusCode::kUnimplemented,
                      std::string("cannot convert pictures of ") +
                          av_get_pix_fmt_name(static_cast<AVPixelFormat>(f->format)));
  sws_scale(convert, f->data, f->linesize, 0, f->height, out->data, out->linesize);
  return out;
}

}  // namespace

Result<DecodedPicture> VideoDecoder::decode(std::span<const uint8_t> au) {
  Impl& im = *impl_;
  im.pkt->data = const_cast<uint8_t*>(au.data());
  im.pkt->size = static_cast<int>(au.size());
  int rc = avcodec_send_packet(im.ctx, im.pkt);
  if (rc < 0 && rc != AVERROR(EAGAIN))
    return make_error(StatusCode::kDataLoss, "decode: " + av_error(rc));
  rc = avcodec_receive_frame(im.ctx, im.frame);
  if (rc == AVERROR(EAGAIN))
    return make_error(StatusCode::kUnavailable, "no picture yet");
  if (rc < 0)
    return make_error(StatusCode::kDataLoss, "decode: " + av_error(rc));
  if (im.frame->decode_error_flags || (im.frame->flags & AV_FRAME_FLAG_CORRUPT))
    return make_error(StatusCode::kDataLoss, "the decoder flagged the picture as corrupt");
  DecodedPicture p;
  AVFrame* f = im.frame;
  read_hdr(f, im.hdr, p);
  if (f->format == AV_PIX_FMT_VAAPI) {
    av_frame_unref(im.sw);
    if (int r = av_hwframe_transfer_data(im.sw, f, 0); r < 0)
      return make_error(StatusCode::kDataLoss,
                        "VA-API: cannot read the picture back: " + av_error(r));
    f = im.sw;
  }
  if (const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(f->format))) {
    p.stream_bit_depth = d->comp[0].depth;
    p.stream_full_chroma = d->log2_chroma_w == 0 && d->nb_components >= 3;
  }
  if (f->format == AV_PIX_FMT_YUV444P || f->format == AV_PIX_FMT_YUVJ444P) {
    p.full_u = f->data[1];  // still valid after the conversion: it writes elsewhere
    p.full_v = f->data[2];
    p.full_u_stride = f->linesize[1];
    p.full_v_stride = f->linesize[2];
  }
  if (f->format != AV_PIX_FMT_YUV420P && f->format != AV_PIX_FMT_YUVJ420P &&
      f->format != AV_PIX_FMT_NV12) {
    auto to8 = convert_to_8bit_420(im.to8, im.convert, f);
    if (!to8)
      return tl::unexpected(to8.error());
    f = *to8;
    if (p.hdr_pq) {  // PQ-coded luma, tone-mapped for an SDR display (tone_map.h)
      const int peak = p.hdr_metadata ? p.hdr_metadata->values[8] : 0;
      if (peak != im.tone_map_peak) {
        im.tone_map = pq_to_sdr_luma_table(peak);
        im.tone_map_peak = peak;
      }
      tone_map_luma(im.tone_map, f->data[0], f->linesize[0], f->width, f->height);
    }
  }
  p.width = f->width;
  p.height = f->height;
  p.luma = f->data[0];
  p.luma_stride = f->linesize[0];
  if (f->format == AV_PIX_FMT_YUV420P || f->format == AV_PIX_FMT_YUVJ420P) {
    p.u = f->data[1];
    p.v = f->data[2];
    p.u_stride = f->linesize[1];
    p.v_stride = f->linesize[2];
  } else if (f->format == AV_PIX_FMT_NV12) {
    const size_t chroma = static_cast<size_t>((f->width + 1) / 2) * ((f->height + 1) / 2);
    im.u.resize(chroma);
    im.v.resize(chroma);
    split_nv12_chroma(f->data[1], f->linesize[1], f->width, f->height, im.u.data(), im.v.data());
    p.u = im.u.data();
    p.v = im.v.data();
    p.u_stride = p.v_stride = (f->width + 1) / 2;
  }
  return p;
}

}  // namespace pf::client
