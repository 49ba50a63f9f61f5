// SPDX-License-Identifier: MIT OR Apache-2.0
// libx264 direct: low-delay output that libavcodec decodes, and reference
// invalidation that lets a receiver skip lost frames without a keyframe.
#include "host/encode/x264_encoder.h"

#include <cmath>
#include <optional>
#include <vector>

#include <gtest/gtest.h>

extern "C" {
#include <libavcodec/avcodec.h>
}

#include "host/capture/synthetic_source.h"
#include "proto/gamestream/h264_sps.h"
#include "proto/native/chroma_checker.h"

namespace pf::host {
namespace {

// A low-delay H.264 decoder: one access unit in, at most one picture out.
class Decoder {
 public:
  Decoder() {
    ctx_ = avcodec_alloc_context3(avcodec_find_decoder(AV_CODEC_ID_H264));
    ctx_->flags |= AV_CODEC_FLAG_LOW_DELAY;
    ctx_->thread_count = 1;
    avcodec_open2(ctx_, ctx_->codec, nullptr);
    pkt_ = av_packet_alloc();
    frame_ = av_frame_alloc();
  }
  ~Decoder() {
    av_frame_free(&frame_);
    av_packet_free(&pkt_);
    avcodec_free_context(&ctx_);
  }
  // Luma PSNR of the decoded picture against `source`; -1 if nothing decoded.
  double decode(const EncodedFrame& au, const YuvFrame& source) {
    pkt_->data = const_cast<uint8_t*>(au.data.data());
    pkt_->size = static_cast<int>(au.data.size());
    if (avcodec_send_packet(ctx_, pkt_) < 0 || avcodec_receive_frame(ctx_, frame_) < 0)
      return -1;
    double se = 0;
    for (int y = 0; y < source.height; ++y)
      for (int x = 0; x < source.width; ++x) {
        const double d = static_cast<double>(frame_->data[0][y * frame_->linesize[0] + x]) -
                         source.y[static_cast<size_t>(y) * source.width + x];
        se += d * d;
      }
    const double mse = se / (double{1} * source.width * source.height);
    return mse < 1e-9 ? 99.0 : 10 * std::log10(255.0 * 255.0 / mse);
  }
  // The last picture's chroma sampling and what its 1-pixel checker shows.
  bool full_chroma() const { return frame_->format == AV_PIX_FMT_YUV444P; }
  std::optional<proto::native::ChromaCheckerReading> checker() const {
    return proto::native::read_chroma_checker(frame_->data[1], frame_->linesize[1], frame_->data[2],
                                              frame_->linesize[2], frame_->width, frame_->height,
                                              full_chroma() ? 0 : 1);
  }

 private:
  AVCodecContext* ctx_ = nullptr;
  AVPacket* pkt_ = nullptr;
  AVFrame* frame_ = nullptr;
};

EncoderConfig config() {
  EncoderConfig c;
  c.width = 320;
  c.height = 240;
  c.fps = 60;
  c.bitrate_kbps = 4000;
  return c;
}

TEST(X264EncoderTest, OneDecodableAccessUnitPerFrameAndKeyframesOnRequest) {
  auto enc = X264Encoder::create(config());
  ASSERT_TRUE(enc) << enc.error().to_string();
  SyntheticSource src(320, 240);
  Decoder dec;
  YuvFrame f;
  EncodedFrame au;
  for (uint32_t i = 1; i <= 40; ++i) {
    src.render(i, i * 1000, f);
    ASSERT_TRUE((*enc)->encode(f, i == 20, au).is_ok());
    EXPECT_EQ(au.frame_index, i);
    EXPECT_EQ(au.keyframe, i == 1 || i == 20) << i;  // infinite GOP otherwise
    EXPECT_GT(dec.decode(au, f), 30.0) << "frame " << i;
  }
  // Indices must increase; sizes must match.
  EXPECT_FALSE((*enc)->encode(f, false, au).is_ok());
  YuvFrame small;
  src.render(41, 0, f);
  SyntheticSource(64, 64).render(41, 0, small);
  EXPECT_FALSE((*enc)->encode(small, false, au).is_ok());
}

// Encodes frames 1..30, loses 11 and 12 on the way, and (with `invalidate`)
// tells the encoder before frame 13. Returns the worst PSNR of 13..30 as the
// receiver decodes them, and whether any of them was a keyframe.
std::pair<double, bool> lose_two_frames(bool invalidate) {
  auto enc = X264Encoder::create(config());
  EXPECT_TRUE(enc);
  SyntheticSource src(320, 240);
  Decoder dec;
  YuvFrame f;
  EncodedFrame au;
  double worst = 99;
  bool keyframe = false;
  for (uint32_t i = 1; i <= 30; ++i) {
    if (i == 13 && invalidate) {
      EXPECT_TRUE((*enc)->invalidate_from(11));
    }
    src.render(i, 0, f);
    EXPECT_TRUE((*enc)->encode(f, false, au).is_ok());
    if (i == 11 || i == 12)
      continue;  // lost on the network
    const double psnr = dec.decode(au, f);
    if (i >= 13) {
      worst = std::min(worst, psnr);
      keyframe = keyframe || au.keyframe;
    }
  }
  return {worst, keyframe};
}

TEST(X264EncoderTest, InvalidationLetsTheReceiverSkipLostFramesWithoutAKeyframe) {
  const auto [healed, healed_kf] = lose_two_frames(true);
  EXPECT_FALSE(healed_kf) << "the encoder fell back to a keyframe";
  EXPECT_GT(healed, 30.0) << "frames after the loss decode wrong despite the invalidation";
  // Without telling the encoder, the frames after the loss reference frames
  // the receiver never got: the picture is wrong (the reason RFI exists).
  const auto [broken, broken_kf] = lose_two_frames(false);
  EXPECT_FALSE(broken_kf);
  EXPECT_LT(broken, healed - 5.0);
  std::printf("worst PSNR after losing two frames: %.1f dB with invalidation, %.1f dB without\n",
              healed, broken);
}

// Pictures libavcodec shows of frames first+2..first+31 when frames first, first+1 are lost and
// the encoder is told before first+2 (as a receiver that skips what it cannot decode sees it).
int pictures_after_losing(uint32_t first) {
  auto enc = X264Encoder::create(config());
  SyntheticSource src(320, 240);
  Decoder dec;
  YuvFrame f;
  EncodedFrame au;
  int shown = 0;
  for (uint32_t i = 1; i <= first + 31; ++i) {
    if (i == first + 2) {
      EXPECT_TRUE((*enc)->invalidate_from(first));
    }
    src.render(i, 0, f);
    EXPECT_TRUE((*enc)->encode(f, false, au).is_ok());
    if (i == first || i == first + 1)
      continue;
    const double psnr = dec.decode(au, f);
    if (i >= first + 2 && psnr > 30.0)
      ++shown;
  }
  return shown;
}

// x264 without B-frames writes pic_order_cnt_type 2: losing a frame whose frame_num is 0 (it
// wraps every 2^log2_max_frame_num frames) makes libavcodec drop about that many pictures after
// the recovery frame (it fills the frame_num gap without advancing its POC offset). The encoder
// marks exactly those frames, so reference invalidation over them sends a keyframe instead.
TEST(X264EncoderTest, AFrameNumWrapIsMarkedWhereLibavcodecDropsPictures) {
  auto enc = X264Encoder::create(config());
  ASSERT_TRUE(enc);
  SyntheticSource src(320, 240);
  YuvFrame f;
  EncodedFrame au;
  std::optional<proto::gamestream::H264SpsInfo> sps;
  std::vector<uint32_t> hazards;
  for (uint32_t i = 1; i <= 100; ++i) {
    src.render(i, 0, f);
    ASSERT_TRUE((*enc)->encode(f, i == 50, au).is_ok());
    if (au.keyframe)
      sps = proto::gamestream::h264_sps_info(au.data);
    ASSERT_TRUE(sps);
    const auto frame_num = proto::gamestream::h264_frame_num(au.data, *sps);
    ASSERT_TRUE(frame_num);
    EXPECT_EQ(au.gap_hazard, !au.keyframe && *frame_num == 0) << i;
    if (au.gap_hazard)
      hazards.push_back(i);
  }
  ASSERT_EQ(sps->poc_type, 2);
  const uint32_t period = 1u << sps->log2_max_frame_num;
  ASSERT_FALSE(hazards.empty());
  EXPECT_EQ(hazards[0], 1 + period);  // the IDR is frame_num 0; the first wrap a period later
  // Losing ordinary frames costs no picture after the recovery frame; losing the marked one does.
  EXPECT_EQ(pictures_after_losing(5), 30);
  const int after_wrap = pictures_after_losing(hazards[0]);
  EXPECT_LT(after_wrap, 30 - 4) << "libavcodec no longer drops pictures after a frame_num gap "
                                   "across 0: EncodedFrame::gap_hazard may be unnecessary";
  std::printf("pictures shown of 30 after losing 2 frames: ordinary %d, across frame_num 0 %d\n",
              pictures_after_losing(5), after_wrap);
}

TEST(X264EncoderTest, BitrateChangesTakeEffect) {
  auto enc = X264Encoder::create(config());
  ASSERT_TRUE(enc);
  SyntheticSource src(320, 240);
  YuvFrame f;
  EncodedFrame au;
  auto bytes_over = [&](uint32_t from, uint32_t to) {
    size_t total = 0;
    for (uint32_t i = from; i < to; ++i) {
      src.render(i, 0, f);
      EXPECT_TRUE((*enc)->encode(f, false, au).is_ok());
      total += i > from ? au.data.size() : 0;  // skip the first (keyframe at start)
    }
    return total;
  };
  const size_t high = bytes_over(1, 61);
  (*enc)->set_bitrate(500);
  bytes_over(61, 91);  // let rate control settle
  const size_t low = bytes_over(91, 151);
  EXPECT_LT(low * 2, high) << "high " << high << " B, low " << low << " B";
}

// High 4:4:4: the synthetic pattern's 1-pixel red/blue checker comes out of
// the decoder with every pixel's colour; the same frames at 4:2:0 lose it.
// (4 Mbit/s at 320x240: the checker's detail costs bits like text does.)
TEST(X264EncoderTest, FourFourFourKeepsEveryPixelsColour) {
  for (const bool full : {true, false}) {
    EncoderConfig c = config();
    c.chroma_444 = full;
    auto enc = X264Encoder::create(c);
    ASSERT_TRUE(enc) << enc.error().to_string();
    SyntheticSource src(c.width, c.height);
    YuvFrame f;
    f.chroma = full ? ChromaSampling::k444 : ChromaSampling::k420;
    Decoder dec;
    EncodedFrame au;
    for (uint32_t i = 1; i <= 30; ++i) {
      src.render(i, 0, f);
      ASSERT_TRUE((*enc)->encode(f, i == 1, au).is_ok());
      const double psnr = dec.decode(au, f);
      ASSERT_GT(psnr, 0) << "frame " << i << " did not decode";
      EXPECT_EQ(dec.full_chroma(), full);
      // The first keyframe at 4:4:4 comes out soft (22 dB here: rate control's
      // first guess for three full planes in one frame of VBV); the next two settle it.
      if (i < 3)
        continue;
      EXPECT_GT(psnr, 30.0) << "frame " << i;
      const auto checker = dec.checker();
      ASSERT_TRUE(checker);
      EXPECT_EQ(checker->full_chroma, full) << "frame " << i << ": contrast " << checker->contrast;
    }
  }
}

TEST(X264EncoderTest, RejectsWhatItCannotDo) {
  EncoderConfig c = config();
  c.codec = VideoCodec::kHevc;
  EXPECT_EQ(X264Encoder::create(c).error().code(), StatusCode::kUnimplemented);
  c = config();
  c.width = 321;
  EXPECT_EQ(X264Encoder::create(c).error().code(), StatusCode::kInvalidArgument);
  c = config();
  c.bit_depth = 10;
  EXPECT_EQ(X264Encoder::create(c).error().code(), StatusCode::kUnimplemented);
  // A frame of the other chroma sampling is refused, not misread.
  c = config();
  c.chroma_444 = true;
  auto enc = X264Encoder::create(c);
  ASSERT_TRUE(enc);
  YuvFrame f;
  SyntheticSource(c.width, c.height).render(1, 0, f);
  EncodedFrame au;
  EXPECT_EQ((*enc)->encode(f, true, au).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace pf::host

namespace pf::host {
namespace {

// What x264 declares in its SPS is the size it was asked for, including
// sizes that are not multiples of 16 (the Moonlight-style client reads it).
TEST(X264EncoderSpsTest, TheSpsDeclaresTheConfiguredSize) {
  for (auto [w, h] : {std::pair{640, 480}, std::pair{1280, 720}, std::pair{1920, 1080},
                      std::pair{800, 600}, std::pair{1366, 768}}) {
    EncoderConfig c;
    c.width = w;
    c.height = h;
    c.fps = 30;
    auto enc = X264Encoder::create(c);
    ASSERT_TRUE(enc);
    SyntheticSource src(w, h);
    YuvFrame f;
    src.render(1, 0, f);
    EncodedFrame au;
    ASSERT_TRUE((*enc)->encode(f, true, au).is_ok());
    auto size = proto::gamestream::h264_picture_size(au.data);
    ASSERT_TRUE(size) << w << "x" << h;
    EXPECT_EQ(size->width, w);
    EXPECT_EQ(size->height, h);
  }
}

}  // namespace
}  // namespace pf::host
