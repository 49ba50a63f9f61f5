// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/decode/decoder.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/error.h>
#include <libavutil/pixfmt.h>
}

#include <string>

namespace pf::client {

struct VideoDecoder::Impl {
  AVCodecContext* ctx = nullptr;
  AVPacket* pkt = nullptr;
  AVFrame* frame = nullptr;
  ~Impl() {
    avcodec_free_context(&ctx);
    av_packet_free(&pkt);
    av_frame_free(&frame);
  }
};

namespace {
std::string av_error(int rc) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(rc, buf, sizeof buf);
  return buf;
}
}  // namespace

Result<std::unique_ptr<VideoDecoder>> VideoDecoder::create(uint8_t codec) {
  const AVCodecID id = codec == 2 ? AV_CODEC_ID_HEVC : AV_CODEC_ID_H264;
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
  if (int rc = avcodec_open2(im.ctx, c, nullptr); rc < 0)
    return make_error(StatusCode::kInternal, "cannot open the decoder: " + av_error(rc));
  return d;
}

VideoDecoder::~VideoDecoder() = default;

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
  p.width = im.frame->width;
  p.height = im.frame->height;
  p.luma = im.frame->data[0];
  p.luma_stride = im.frame->linesize[0];
  if (im.frame->format == AV_PIX_FMT_YUV420P || im.frame->format == AV_PIX_FMT_YUVJ420P) {
    p.u = im.frame->data[1];
    p.v = im.frame->data[2];
    p.u_stride = im.frame->linesize[1];
    p.v_stride = im.frame->linesize[2];
  }
  return p;
}

}  // namespace pf::client
