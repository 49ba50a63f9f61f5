// SPDX-License-Identifier: MIT OR Apache-2.0
// The encoder per codec and the host's offer: HEVC and AV1 only when enabled,
// and then x265 and libaom streams that libavcodec decodes frame for frame,
// low delay, keyframes when asked.
#include "host/encode/encoder_factory.h"

#include <optional>
#include <vector>

#include <gtest/gtest.h>

extern "C" {
#include <libavcodec/avcodec.h>
}

#include "host/capture/synthetic_source.h"
#include "proto/native/chroma_checker.h"

// libx265 3.5 (Debian 12) loses allocations FrameFilter::init makes at
// x265_encoder_open (LeakSanitizer under the asan preset: 10-30 KB per
// encoder, in x265's own code, nothing of ours on the stack). Not ours to
// fix; suppressed for x265 only, so any other leak still fails the test.
// Default visibility: the project builds with hidden symbols, and the
// sanitizer runtime (a shared library) finds this hook only when exported.
extern "C" __attribute__((visibility("default"), used)) const char* __lsan_default_suppressions() {
  return "leak:libx265.so\n";
}

namespace pf::host {
namespace {

// One access unit in, the picture's barcode out (nullopt: no picture).
class BarcodeDecoder {
 public:
  explicit BarcodeDecoder(AVCodecID id) {
    ctx_ = avcodec_alloc_context3(avcodec_find_decoder(id));
    ctx_->flags |= AV_CODEC_FLAG_LOW_DELAY;
    ctx_->thread_count = 1;
    avcodec_open2(ctx_, ctx_->codec, nullptr);
    pkt_ = av_packet_alloc();
    frame_ = av_frame_alloc();
  }
  ~BarcodeDecoder() {
    av_frame_free(&frame_);
    av_packet_free(&pkt_);
    avcodec_free_context(&ctx_);
  }
  std::optional<uint32_t> decode(const EncodedFrame& au) {
    pkt_->data = const_cast<uint8_t*>(au.data.data());
    pkt_->size = static_cast<int>(au.data.size());
    if (avcodec_send_packet(ctx_, pkt_) < 0 || avcodec_receive_frame(ctx_, frame_) < 0)
      return std::nullopt;
    if (frame_->format != AV_PIX_FMT_YUV420P10LE)
      return SyntheticSource::read_barcode(frame_->data[0], frame_->width, frame_->height,
                                           frame_->linesize[0]);
    // 10-bit: the barcode is read from the luma's top 8 bits.
    luma8_.resize(static_cast<size_t>(frame_->width) * frame_->height);
    for (int y = 0; y < frame_->height; ++y) {
      const auto* row =
          reinterpret_cast<const uint16_t*>(frame_->data[0] + y * frame_->linesize[0]);
      for (int x = 0; x < frame_->width; ++x)
        luma8_[static_cast<size_t>(y) * frame_->width + x] = static_cast<uint8_t>(row[x] >> 2);
    }
    return SyntheticSource::read_barcode(luma8_.data(), frame_->width, frame_->height,
                                         frame_->width);
  }
  // The last 8-bit picture's chroma sampling and what its 1-pixel checker shows.
  bool full_chroma() const { return frame_->format == AV_PIX_FMT_YUV444P; }
  std::optional<proto::native::ChromaCheckerReading> checker() const {
    if (frame_->format != AV_PIX_FMT_YUV444P && frame_->format != AV_PIX_FMT_YUV420P)
      return std::nullopt;
    return proto::native::read_chroma_checker(frame_->data[1], frame_->linesize[1], frame_->data[2],
                                              frame_->linesize[2], frame_->width, frame_->height,
                                              full_chroma() ? 0 : 1);
  }

 private:
  AVCodecContext* ctx_ = nullptr;
  AVPacket* pkt_ = nullptr;
  AVFrame* frame_ = nullptr;
  std::vector<uint8_t> luma8_;
};

int nal_type(const EncodedFrame& au) {
  const size_t i = au.data.size() > 4 && au.data[2] == 1 ? 3 : 4;
  return au.data.size() > i ? (au.data[i] >> 1) & 0x3f : -1;
}

TEST(EncoderFactoryTest, HevcIsOfferedOnlyWhenEnabled) {
  const EncoderCaps off = probe_encoders({});
  EXPECT_TRUE(off.h264) << off.h264_why;
  EXPECT_FALSE(off.hevc);
  EXPECT_NE(off.hevc_why.find("software-codecs"), std::string::npos) << off.hevc_why;
  EXPECT_EQ(off.gamestream_codec_modes() & ~0x40000u, 0x1u);
  const EncoderCaps on = probe_encoders({.software_hevc = true});
  ASSERT_TRUE(on.hevc) << on.hevc_why;
  EXPECT_NE(on.hevc_encoder.find("libx265"), std::string::npos) << on.hevc_encoder;
  EXPECT_EQ(on.gamestream_codec_modes() & 0xffffu, 0x101u);
}

// Streams `frames` synthetic frames through a 320x240@60 encoder of `codec`,
// asking for a keyframe at frame 1 and `mid_key`: exactly those come out as
// keyframes, each beginning with what `starts_right` checks (its parameter
// sets), and every access unit decodes at once to its own frame (nothing
// held back). The encoder has no reference invalidation.
template <typename StartsRight>
void expect_low_delay_with_keyframes(VideoCodec codec,
                                     AVCodecID decoder,
                                     uint32_t frames,
                                     uint32_t mid_key,
                                     StartsRight starts_right) {
  EncoderConfig c;
  c.codec = codec;
  c.width = 320;
  c.height = 240;
  c.fps = 60;
  c.bitrate_kbps = 1500;
  auto enc = create_video_encoder(c);
  ASSERT_TRUE(enc) << enc.error().to_string();
  EXPECT_FALSE((*enc)->invalidate_from(1)) << "no reference invalidation";
  EXPECT_FALSE(codec_has_ref_invalidation(codec));
  SyntheticSource source(c.width, c.height);
  BarcodeDecoder dec(decoder);
  YuvFrame frame;
  EncodedFrame au;
  int keyframes = 0;
  for (uint32_t i = 1; i <= frames; ++i) {
    source.render(i, 0, frame);
    const bool key = i == 1 || i == mid_key;
    ASSERT_TRUE((*enc)->encode(frame, key, au).is_ok()) << i;
    EXPECT_EQ(au.keyframe, key) << "frame " << i;
    if (au.keyframe) {
      ++keyframes;
      EXPECT_TRUE(starts_right(au)) << "keyframe " << i << " does not begin with its headers";
    }
    // One frame in, that frame's picture out: nothing held back.
    EXPECT_EQ(dec.decode(au), std::optional<uint32_t>(i)) << "frame " << i;
  }
  EXPECT_EQ(keyframes, 2);
}

TEST(EncoderFactoryTest, HevcIsLowDelayAndIdrsCarryTheirParameterSets) {
  // An IDR must begin with the VPS (NAL type 32).
  expect_low_delay_with_keyframes(VideoCodec::kHevc, AV_CODEC_ID_HEVC, 130, 70,
                                  [](const EncodedFrame& au) { return nal_type(au) == 32; });
}

TEST(EncoderFactoryTest, Av1IsOfferedOnlyWhenEnabled) {
  const EncoderCaps off = probe_encoders({});
  EXPECT_FALSE(off.av1);
  EXPECT_NE(off.av1_why.find("software-codecs"), std::string::npos) << off.av1_why;
  const EncoderCaps on = probe_encoders({.software_av1 = true});
  ASSERT_TRUE(on.av1) << on.av1_why;
  EXPECT_NE(on.av1_encoder.find("libaom-av1"), std::string::npos) << on.av1_encoder;
  EXPECT_EQ(on.gamestream_codec_modes() & 0x3ffffu, 0x10001u);  // H.264 and AV1 Main 8-bit
}

// The OBU type of a temporal unit's first OBU after any temporal delimiter.
int first_obu_type(const EncodedFrame& au) {
  size_t i = au.data.size() > 2 && ((au.data[0] >> 3) & 0xf) == 2 ? 2 : 0;
  return au.data.size() > i ? (au.data[i] >> 3) & 0xf : -1;
}

TEST(EncoderFactoryTest, Av1IsLowDelayAndKeyframesCarryTheSequenceHeader) {
  // A keyframe must begin with the sequence header (OBU type 1).
  expect_low_delay_with_keyframes(VideoCodec::kAv1, AV_CODEC_ID_AV1, 90, 50,
                                  [](const EncodedFrame& au) { return first_obu_type(au) == 1; });
}

// 10-bit streams carry their own frame: every picture's barcode (read from
// the 10-bit luma's top 8 bits) is the frame just encoded.
void expect_ten_bit_pictures_in_order(VideoCodec codec, AVCodecID id) {
  EncoderConfig c;
  c.codec = codec;
  c.width = 320;
  c.height = 240;
  c.fps = 30;
  c.bitrate_kbps = 20000;
  c.bit_depth = 10;
  auto enc = create_video_encoder(c);
  ASSERT_TRUE(enc) << enc.error().to_string();
  SyntheticSource source(c.width, c.height);
  BarcodeDecoder dec(id);
  YuvFrame frame;
  EncodedFrame au;
  for (uint32_t i = 1; i <= 60; ++i) {
    source.render(i, 0, frame);
    ASSERT_TRUE((*enc)->encode(frame, i == 1, au).is_ok());
    EXPECT_EQ(dec.decode(au), std::optional<uint32_t>(i))
        << to_string(codec) << " 10-bit frame " << i;
  }
}

TEST(EncoderFactoryTest, Main10PicturesAreTheirFrames) {
  expect_ten_bit_pictures_in_order(VideoCodec::kHevc, AV_CODEC_ID_HEVC);
}

// libaom 3.6 at speed 10 (the 8-bit setting) with 10-bit input showed stale
// pictures from about frame 50 on (old barcodes, mixed ones): its 10-bit
// streams use speed 8 (encoder_settings.cpp). This fails at speed 10.
TEST(EncoderFactoryTest, Av1TenBitPicturesAreTheirFrames) {
  expect_ten_bit_pictures_in_order(VideoCodec::kAv1, AV_CODEC_ID_AV1);
}

// 4:4:4 per codec, as the factory makes it (x264 High 4:4:4, x265 Main
// 4:4:4, libaom High): every picture is its frame, and from the third on (the
// first keyframe settles) the 1-pixel red/blue checker keeps its colours.
void expect_full_chroma_pictures(VideoCodec codec, AVCodecID id) {
  EncoderConfig c;
  c.codec = codec;
  c.width = 320;
  c.height = 240;
  c.fps = 30;
  c.bitrate_kbps = 6000;
  c.chroma_444 = true;
  auto enc = create_video_encoder(c);
  ASSERT_TRUE(enc) << enc.error().to_string();
  SyntheticSource source(c.width, c.height);
  BarcodeDecoder dec(id);
  YuvFrame frame;
  frame.chroma = ChromaSampling::k444;
  EncodedFrame au;
  for (uint32_t i = 1; i <= 30; ++i) {
    source.render(i, 0, frame);
    ASSERT_TRUE((*enc)->encode(frame, i == 1, au).is_ok());
    EXPECT_EQ(dec.decode(au), std::optional<uint32_t>(i)) << to_string(codec) << " frame " << i;
    EXPECT_TRUE(dec.full_chroma()) << to_string(codec) << " frame " << i;
    const auto checker = dec.checker();
    ASSERT_TRUE(checker);
    if (i >= 3) {
      EXPECT_TRUE(checker->full_chroma)
          << to_string(codec) << " frame " << i << ": contrast " << checker->contrast;
    }
  }
}

TEST(EncoderFactoryTest, FourFourFourPicturesKeepEveryPixelsColour) {
  expect_full_chroma_pictures(VideoCodec::kH264, AV_CODEC_ID_H264);
  expect_full_chroma_pictures(VideoCodec::kHevc, AV_CODEC_ID_HEVC);
  expect_full_chroma_pictures(VideoCodec::kAv1, AV_CODEC_ID_AV1);
}

TEST(EncoderFactoryTest, FourFourFourIsProbedPerCodec) {
  const EncoderCaps off = probe_encoders({});
  EXPECT_TRUE(off.h264_444);
  EXPECT_FALSE(off.hevc_444);
  EXPECT_FALSE(off.av1_444);
  EXPECT_EQ(off.gamestream_codec_modes(), 0x40001u);  // H.264, H.264 High 4:4:4
  const EncoderCaps on = probe_encoders({.software_hevc = true, .software_av1 = true});
  EXPECT_TRUE(on.hevc_444);
  EXPECT_TRUE(on.av1_444);
  // + HEVC Main, RExt 4:4:4 8-bit; AV1 Main 8-bit, High 4:4:4 8-bit. (Not Main10:
  // a GameStream client asks for 10 bits only for HDR.)
  EXPECT_EQ(on.gamestream_codec_modes(), 0x40001u | 0x100u | 0x80000u | 0x10000u | 0x200000u);
}

TEST(EncoderFactoryTest, AnEncoderOfAnotherCodecIsRefused) {
  EncoderConfig c;
  c.codec = VideoCodec::kH264;
  c.fps = 60;
  c.bitrate_kbps = 1000;
  for (auto backend : {EncoderBackend::kX265, EncoderBackend::kAom}) {
    auto s = settings_for(backend, c);
    ASSERT_FALSE(s) << to_string(backend);
    EXPECT_EQ(s.error().code(), StatusCode::kUnimplemented);
  }
}

}  // namespace
}  // namespace pf::host
