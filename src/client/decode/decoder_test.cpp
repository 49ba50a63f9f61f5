// SPDX-License-Identifier: MIT OR Apache-2.0
// The decoder's backends: the VA-API probe says why it cannot work here, a
// forced VA-API decoder fails with that reason, `auto` falls back to software
// and decodes real H.264 (from libx264), and NV12 chroma splits correctly.
#include "client/decode/decoder.h"

#include "client/app/frame_hash.h"
#include "proto/native/chroma_checker.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/opt.h>
}

#include <unistd.h>

#include <vector>

#include <gtest/gtest.h>

namespace pf::client {
namespace {

// One H.264 keyframe of `f` (libx264 ultrafast; High 4:4:4 for a yuv444p frame).
std::vector<uint8_t> encode_keyframe(AVFrame* f) {
  const AVCodec* c = avcodec_find_encoder_by_name("libx264");
  EXPECT_NE(c, nullptr);
  AVCodecContext* ctx = avcodec_alloc_context3(c);
  ctx->width = f->width;
  ctx->height = f->height;
  ctx->pix_fmt = static_cast<AVPixelFormat>(f->format);
  ctx->time_base = {1, 60};
  av_opt_set(ctx->priv_data, "preset", "ultrafast", 0);
  av_opt_set(ctx->priv_data, "tune", "zerolatency", 0);
  av_opt_set(ctx->priv_data, "qp", "10", 0);
  EXPECT_EQ(avcodec_open2(ctx, c, nullptr), 0);
  std::vector<uint8_t> out;
  AVPacket* pkt = av_packet_alloc();
  avcodec_send_frame(ctx, f);
  avcodec_send_frame(ctx, nullptr);
  while (avcodec_receive_packet(ctx, pkt) == 0) {
    out.insert(out.end(), pkt->data, pkt->data + pkt->size);
    av_packet_unref(pkt);
  }
  av_packet_free(&pkt);
  avcodec_free_context(&ctx);
  return out;
}

// A 4:4:4 stream: the picture comes as 4:2:0 planes for the window and the
// checks, and with its own full-resolution chroma, in which the 1-pixel
// red/blue checker keeps its colours (and the 4:2:0 planes lose them).
TEST(DecoderTest, FourFourFourPicturesKeepTheirOwnChroma) {
  namespace pn = proto::native;
  AVFrame* f = av_frame_alloc();
  f->width = 128;
  f->height = 128;
  f->format = AV_PIX_FMT_YUV444P;
  ASSERT_EQ(av_frame_get_buffer(f, 0), 0);
  for (int p = 0; p < 3; ++p)
    for (int y = 0; y < 128; ++y)
      std::fill_n(f->data[p] + y * f->linesize[p], 128, 128);
  pn::write_chroma_checker({f->data[0], f->data[1], f->data[2], f->linesize[0], f->linesize[1],
                            f->linesize[2], 128, 128, 0});
  const auto au = encode_keyframe(f);
  av_frame_free(&f);
  auto dec = VideoDecoder::create(1);
  ASSERT_TRUE(dec);
  auto pic = (*dec)->decode(au);
  ASSERT_TRUE(pic) << pic.error().to_string();
  EXPECT_TRUE(pic->stream_full_chroma);
  ASSERT_NE(pic->full_u, nullptr);
  ASSERT_NE(pic->full_v, nullptr);
  auto full = pn::read_chroma_checker(pic->full_u, pic->full_u_stride, pic->full_v,
                                      pic->full_v_stride, pic->width, pic->height, 0);
  ASSERT_TRUE(full);
  EXPECT_TRUE(full->full_chroma) << full->contrast;
  auto sub = pn::read_chroma_checker(pic->u, pic->u_stride, pic->v, pic->v_stride, pic->width,
                                     pic->height, 1);
  ASSERT_TRUE(sub);
  EXPECT_FALSE(sub->full_chroma) << sub->contrast;
  // The hash covers the full chroma: a change there changes it.
  const uint64_t h = picture_hash(*pic);
  const_cast<uint8_t*>(pic->full_u)[pn::kCheckerY * pic->full_u_stride + 1] ^= 1;
  EXPECT_NE(picture_hash(*pic), h);
}

// One keyframe of a 64x48 picture: Y = 100, U = 80, V = 200.
std::vector<uint8_t> h264_keyframe() {
  AVFrame* f = av_frame_alloc();
  f->width = 64;
  f->height = 48;
  f->format = AV_PIX_FMT_YUV420P;
  av_frame_get_buffer(f, 0);
  for (int y = 0; y < 48; ++y)
    std::fill_n(f->data[0] + y * f->linesize[0], 64, 100);
  for (int y = 0; y < 24; ++y) {
    std::fill_n(f->data[1] + y * f->linesize[1], 32, 80);
    std::fill_n(f->data[2] + y * f->linesize[2], 32, 200);
  }
  auto out = encode_keyframe(f);
  av_frame_free(&f);
  return out;
}

TEST(DecoderTest, BackendNames) {
  EXPECT_EQ(*parse_decoder_backend("auto"), DecoderBackend::kAuto);
  EXPECT_EQ(*parse_decoder_backend("vaapi"), DecoderBackend::kVaapi);
  EXPECT_EQ(*parse_decoder_backend("software"), DecoderBackend::kSoftware);
  EXPECT_FALSE(parse_decoder_backend("nvdec"));
}

TEST(DecoderTest, VaapiProbeForcedVaapiAndTheAutoFallback) {
  const DecoderProbe p = probe_vaapi_decode();
  EXPECT_FALSE(p.reason.empty());
  const bool node = ::access("/dev/dri/renderD128", F_OK) == 0;
  if (!node) {  // this machine: no GPU
    EXPECT_FALSE(p.available);
    EXPECT_NE(p.reason.find("renderD128"), std::string::npos) << p.reason;
  }
  auto forced = VideoDecoder::create(1, DecoderBackend::kVaapi);
  if (!p.available) {
    ASSERT_FALSE(forced);
    EXPECT_EQ(forced.error().code(), StatusCode::kUnavailable);
    EXPECT_NE(forced.error().message().find(p.reason), std::string::npos);
  } else {
    ASSERT_TRUE(forced);
    EXPECT_STREQ((*forced)->backend_name(), "vaapi");
  }
  auto dec = VideoDecoder::create(1, DecoderBackend::kAuto);
  ASSERT_TRUE(dec) << dec.error().to_string();
  EXPECT_STREQ((*dec)->backend_name(), p.available ? "vaapi" : "software");
  EXPECT_EQ((*dec)->fallback_reason(), p.available ? "" : p.reason);
  const auto au = h264_keyframe();
  ASSERT_FALSE(au.empty());
  auto pic = (*dec)->decode(au);
  ASSERT_TRUE(pic) << pic.error().to_string();
  EXPECT_EQ(pic->width, 64);
  EXPECT_EQ(pic->height, 48);
  EXPECT_NEAR(pic->luma[10 * pic->luma_stride + 10], 100, 3);
  ASSERT_NE(pic->u, nullptr);
  EXPECT_NEAR(pic->u[5 * pic->u_stride + 5], 80, 3);
  EXPECT_NEAR(pic->v[5 * pic->v_stride + 5], 200, 3);
}

TEST(DecoderTest, PictureHashCoversVisibleSamplesOnly) {
  // 4x2 picture; luma stride 6 (two padding bytes per row), chroma 2x1.
  uint8_t y[12] = {1, 2, 3, 4, 99, 99, 5, 6, 7, 8, 77, 77};
  uint8_t u[2] = {10, 11}, v[2] = {20, 21};
  DecodedPicture p{4, 2, y, 6, u, v, 2, 2};
  const uint64_t h = picture_hash(p);
  y[4] = 0;  // padding: no change
  EXPECT_EQ(picture_hash(p), h);
  y[7] = 9;  // a visible sample
  EXPECT_NE(picture_hash(p), h);
  y[7] = 6;
  v[1] = 0;
  EXPECT_NE(picture_hash(p), h);
}

TEST(DecoderTest, Nv12ChromaSplitsIntoPlanes) {
  // 6x4 picture: chroma 3x2, UV rows padded to a stride of 8.
  const uint8_t uv[] = {1, 2, 3, 4,  5,  6,  0, 0,  //
                        7, 8, 9, 10, 11, 12, 0, 0};
  uint8_t u[6], v[6];
  split_nv12_chroma(uv, 8, 6, 4, u, v);
  EXPECT_EQ(std::vector<uint8_t>(u, u + 6), (std::vector<uint8_t>{1, 3, 5, 7, 9, 11}));
  EXPECT_EQ(std::vector<uint8_t>(v, v + 6), (std::vector<uint8_t>{2, 4, 6, 8, 10, 12}));
}

}  // namespace
}  // namespace pf::client
