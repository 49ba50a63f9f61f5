// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/encode/libav_encoder.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/mastering_display_metadata.h>
#include <libavutil/pixdesc.h>
}

#include "host/capture/synthetic_source.h"

// (libx265's own leak at open is suppressed in encoder_factory_test.cpp, same binary.)

namespace pf::host {
namespace {

// Counts H.264 NAL units of a type in an Annex-B buffer.
int count_nal(const std::vector<uint8_t>& d, int type) {
  int n = 0;
  for (size_t i = 0; i + 3 < d.size(); ++i)
    if (d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1 && (d[i + 3] & 0x1f) == type)
      ++n;
  return n;
}

TEST(LibavEncoderTest, OneAccessUnitPerFrameFirstIsIdr) {
  EncoderConfig cfg;
  cfg.width = 320;
  cfg.height = 240;
  cfg.fps = 30;
  cfg.bitrate_kbps = 1000;
  auto enc = LibavEncoder::create(cfg);
  ASSERT_TRUE(enc) << enc.error().to_string();
  SyntheticSource src(cfg.width, cfg.height);
  YuvFrame frame;
  EncodedFrame out;
  for (uint32_t i = 1; i <= 10; ++i) {
    src.render(i, i * 1000, frame);
    Status s = (*enc)->encode(frame, i == 1 || i == 8, out);
    ASSERT_TRUE(s.is_ok()) << s.to_string();
    EXPECT_EQ(out.frame_index, i);
    EXPECT_EQ(out.capture_time_ns, i * 1000);
    ASSERT_FALSE(out.data.empty());
    bool idr = count_nal(out.data, 5) > 0;
    EXPECT_EQ(idr, i == 1 || i == 8) << "frame " << i;
    EXPECT_EQ(out.keyframe, idr);
    if (idr) {  // every IDR, also a requested one, begins with its parameter sets
      EXPECT_EQ(count_nal(out.data, 7), 1) << "SPS in frame " << i;
      EXPECT_EQ(count_nal(out.data, 8), 1) << "PPS in frame " << i;
    }
  }
}

TEST(LibavEncoderTest, RejectsBadModeAndMismatchedFrames) {
  EncoderConfig cfg;
  cfg.width = 321;
  EXPECT_EQ(LibavEncoder::create(cfg).error().code(), StatusCode::kInvalidArgument);
  cfg.width = 320;
  cfg.height = 240;
  cfg.codec = VideoCodec::kAv1;
  EXPECT_EQ(LibavEncoder::create(cfg).error().code(), StatusCode::kUnimplemented);
  cfg.codec = VideoCodec::kH264;
  auto enc = LibavEncoder::create(cfg);
  ASSERT_TRUE(enc);
  YuvFrame wrong;
  wrong.allocate(640, 480);
  EncodedFrame out;
  EXPECT_EQ((*enc)->encode(wrong, false, out).code(), StatusCode::kInvalidArgument);
  // A frame of the right size but the other chroma sampling is refused, not misread.
  YuvFrame full;
  full.chroma = ChromaSampling::k444;
  full.allocate(320, 240);
  EXPECT_EQ((*enc)->encode(full, false, out).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace pf::host

namespace pf::host {
namespace {

TEST(LibavEncoderTest, BitrateChangesApplyToTheNextFrames) {
  EncoderConfig cfg;
  cfg.width = 640;
  cfg.height = 480;
  cfg.fps = 30;
  cfg.bitrate_kbps = 8000;
  auto enc = LibavEncoder::create(cfg);
  ASSERT_TRUE(enc);
  SyntheticSource src(cfg.width, cfg.height);
  YuvFrame frame;
  EncodedFrame out;
  // Noise: the encoder cannot compress it, so frame sizes follow the rate.
  uint32_t x = 12345;
  auto average = [&](uint32_t from, uint32_t to) {
    size_t bytes = 0;
    for (uint32_t i = from; i < to; ++i) {
      src.render(i, 0, frame);
      for (auto& b : frame.y) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        b = static_cast<uint8_t>(x);
      }
      EXPECT_TRUE((*enc)->encode(frame, i == 1, out).is_ok());
      if (i > from + 2)  // let rate control settle
        bytes += out.data.size();
    }
    return bytes / (to - from - 3);
  };
  const size_t high = average(1, 31);
  (*enc)->set_bitrate(300);
  const size_t low = average(31, 61);
  EXPECT_LT(low * 4, high) << "8000 kbit/s: " << high << " B/frame, 300 kbit/s: " << low;
}

TEST(LibavEncoderTest, HardwareBackendsFailClearlyWithoutTheirDevice) {
  // This machine has no NVIDIA or VA-API device: creating those encoders must
  // fail with a reason, not crash. (On hardware they are untested.)
  EncoderConfig cfg;
  cfg.width = 1280;
  cfg.height = 720;
  for (auto backend : {EncoderBackend::kNvenc, EncoderBackend::kVaapi}) {
    auto enc = LibavEncoder::create(cfg, backend);
    if (enc) {
      GTEST_LOG_(INFO) << to_string(backend) << " opened: hardware present";
      continue;
    }
    EXPECT_EQ(enc.error().code(), StatusCode::kUnavailable) << enc.error().to_string();
    EXPECT_NE(enc.error().message().find(backend == EncoderBackend::kNvenc ? "nvenc" : "VA"),
              std::string::npos)
        << enc.error().message();
  }
}

// The formats beyond 8-bit 4:2:0: each software encoder's stream decodes
// (libavcodec, as a client would) as the bit depth and chroma asked for, and
// an HDR stream says BT.2020 + PQ. (The hardware encoders' settings for the
// same are in encoder_settings_test.cpp: no GPU here.)
// The HDR test source's mastering display and light levels, as a decoder
// reads them from the stream's SEI (the keyframe's; libavcodec keeps them).
void expect_source_metadata(const AVFrame* pic, const std::string& what) {
  const HdrMetadata& m = SyntheticSource::kHdrMetadata;
  const AVFrameSideData* md = av_frame_get_side_data(pic, AV_FRAME_DATA_MASTERING_DISPLAY_METADATA);
  const AVFrameSideData* cl = av_frame_get_side_data(pic, AV_FRAME_DATA_CONTENT_LIGHT_LEVEL);
  ASSERT_NE(md, nullptr) << what << ": no mastering display metadata";
  ASSERT_NE(cl, nullptr) << what << ": no content light level";
  const auto* d = reinterpret_cast<const AVMasteringDisplayMetadata*>(md->data);
  const auto at = [](AVRational r, int den) { return static_cast<int>(av_q2d(r) * den + 0.5); };
  ASSERT_TRUE(d->has_primaries && d->has_luminance) << what;
  EXPECT_EQ(at(d->display_primaries[0][0], 50000), m.red_x) << what;
  EXPECT_EQ(at(d->display_primaries[0][1], 50000), m.red_y) << what;
  EXPECT_EQ(at(d->display_primaries[1][0], 50000), m.green_x) << what;
  EXPECT_EQ(at(d->display_primaries[2][1], 50000), m.blue_y) << what;
  EXPECT_EQ(at(d->white_point[0], 50000), m.white_x) << what;
  EXPECT_EQ(at(d->max_luminance, 1), m.max_luminance) << what;
  EXPECT_EQ(at(d->min_luminance, 10000), m.min_luminance) << what;
  const auto* l = reinterpret_cast<const AVContentLightMetadata*>(cl->data);
  EXPECT_EQ(l->MaxCLL, m.max_cll) << what;
  EXPECT_EQ(l->MaxFALL, m.max_fall) << what;
}

TEST(LibavEncoderTest, TenBitFullChromaAndHdrStreamsDecodeAsSuch) {
  struct Case {
    EncoderBackend backend;
    VideoCodec codec;
    int depth;
    bool full_chroma, hdr;
    AVPixelFormat decoded;
  };
  for (const Case& k :
       {Case{EncoderBackend::kX265, VideoCodec::kHevc, 10, false, true, AV_PIX_FMT_YUV420P10LE},
        Case{EncoderBackend::kX265, VideoCodec::kHevc, 8, true, false, AV_PIX_FMT_YUV444P},
        Case{EncoderBackend::kX265, VideoCodec::kHevc, 10, true, false, AV_PIX_FMT_YUV444P10LE},
        Case{EncoderBackend::kAom, VideoCodec::kAv1, 10, false, true, AV_PIX_FMT_YUV420P10LE},
        Case{EncoderBackend::kAom, VideoCodec::kAv1, 8, true, false, AV_PIX_FMT_YUV444P}}) {
    const std::string what = fmt::format("{} {}-bit {}{}", to_string(k.codec), k.depth,
                                         k.full_chroma ? "4:4:4" : "4:2:0", k.hdr ? " HDR" : "");
    EncoderConfig c;
    c.codec = k.codec;
    c.width = 320;
    c.height = 240;
    c.bitrate_kbps = 2000;
    c.bit_depth = k.depth;
    c.chroma_444 = k.full_chroma;
    c.hdr = k.hdr;
    if (k.hdr)
      c.hdr_metadata = SyntheticSource::kHdrMetadata;
    auto enc = LibavEncoder::create(c, k.backend);
    ASSERT_TRUE(enc) << what << ": " << enc.error().to_string();
    const AVCodec* codec =
        avcodec_find_decoder(k.codec == VideoCodec::kHevc ? AV_CODEC_ID_HEVC : AV_CODEC_ID_AV1);
    AVCodecContext* dec = avcodec_alloc_context3(codec);
    ASSERT_EQ(avcodec_open2(dec, codec, nullptr), 0);
    AVPacket* pkt = av_packet_alloc();
    AVFrame* pic = av_frame_alloc();
    SyntheticSource src(320, 240, k.hdr);  // HDR: the 10-bit PQ test source
    YuvFrame frame;
    frame.chroma = k.full_chroma ? ChromaSampling::k444 : ChromaSampling::k420;
    EncodedFrame au;
    int pictures = 0;
    for (uint32_t i = 1; i <= 5; ++i) {
      src.render(i, 0, frame);
      ASSERT_TRUE((*enc)->encode(frame, i == 1, au).is_ok()) << what;
      pkt->data = au.data.data();
      pkt->size = static_cast<int>(au.data.size());
      ASSERT_EQ(avcodec_send_packet(dec, pkt), 0) << what;
      while (avcodec_receive_frame(dec, pic) == 0) {
        ++pictures;
        EXPECT_EQ(pic->format, k.decoded)
            << what << " decodes as "
            << av_get_pix_fmt_name(static_cast<AVPixelFormat>(pic->format));
        // HDR: BT.2020 + PQ; 10-bit SDR says BT.709; 8-bit keeps the encoder's default.
        if (k.hdr || k.depth == 10) {
          EXPECT_EQ(pic->color_primaries, k.hdr ? AVCOL_PRI_BT2020 : AVCOL_PRI_BT709) << what;
          EXPECT_EQ(pic->color_trc, k.hdr ? AVCOL_TRC_SMPTE2084 : AVCOL_TRC_BT709) << what;
        }
        if (k.hdr && k.codec == VideoCodec::kHevc)  // x265 writes the source's metadata as SEI
          expect_source_metadata(pic, what);
      }
    }
    EXPECT_GE(pictures, 4) << what;
    av_frame_free(&pic);
    av_packet_free(&pkt);
    avcodec_free_context(&dec);
  }
}

}  // namespace
}  // namespace pf::host
