// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/app/spike.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include <gtest/gtest.h>

extern "C" {
#include <libavcodec/avcodec.h>
}

#include "host/capture/synthetic_source.h"

namespace pf::host {
namespace {

// Decodes an H.264 elementary stream with libavcodec and reads the frame
// index barcode of every decoded picture.
std::vector<uint32_t> decode_indices(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<uint8_t> data((std::istreambuf_iterator<char>(in)), {});
  data.resize(data.size() + AV_INPUT_BUFFER_PADDING_SIZE, 0);
  const AVCodec* codec = avcodec_find_decoder(AV_CODEC_ID_H264);
  AVCodecParserContext* parser = av_parser_init(codec->id);
  AVCodecContext* ctx = avcodec_alloc_context3(codec);
  avcodec_open2(ctx, codec, nullptr);
  AVPacket* pkt = av_packet_alloc();
  AVFrame* frame = av_frame_alloc();
  std::vector<uint32_t> out;
  auto receive = [&] {
    while (avcodec_receive_frame(ctx, frame) == 0) {
      auto idx = SyntheticSource::read_barcode(frame->data[0], frame->width, frame->height,
                                               frame->linesize[0]);
      out.push_back(idx.value_or(0));
    }
  };
  const uint8_t* p = data.data();
  size_t left = data.size() - AV_INPUT_BUFFER_PADDING_SIZE;
  while (left > 0) {
    const int used = av_parser_parse2(parser, ctx, &pkt->data, &pkt->size, p,
                                      static_cast<int>(left), AV_NOPTS_VALUE, AV_NOPTS_VALUE, 0);
    p += used;
    left -= static_cast<size_t>(used);
    if (pkt->size > 0 && avcodec_send_packet(ctx, pkt) == 0)
      receive();
  }
  av_parser_parse2(parser, ctx, &pkt->data, &pkt->size, nullptr, 0, AV_NOPTS_VALUE, AV_NOPTS_VALUE,
                   0);
  if (pkt->size > 0 && avcodec_send_packet(ctx, pkt) == 0)
    receive();
  avcodec_send_packet(ctx, nullptr);
  receive();
  av_frame_free(&frame);
  av_packet_free(&pkt);
  avcodec_free_context(&ctx);
  av_parser_close(parser);
  return out;
}

void expect_playable(const std::filesystem::path& path, uint32_t frames) {
  const auto idx = decode_indices(path);
  ASSERT_EQ(idx.size(), frames);
  for (uint32_t i = 0; i < frames; ++i)
    EXPECT_EQ(idx[i], i + 1) << "decoded picture " << i;
}

class SpikeSourceTest : public ::testing::TestWithParam<SpikeSource> {};

TEST_P(SpikeSourceTest, EncodesDecodableFramesInOrderAndRoundTripsThemThroughTheCore) {
  auto path = std::filesystem::temp_directory_path() /
              ("punktfunk_spike_test_" + std::to_string(static_cast<int>(GetParam())) + ".h264");
  SpikeOptions o;
  o.source = GetParam();
  o.width = 320;
  o.height = 240;
  o.fps = 30;
  o.seconds = 1.0;
  o.realtime = false;
  o.loss_percent = 0;
  o.output_path = path.string();
  auto r = run_spike(o, SteadyClock::instance());
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->frames, 30u);
  EXPECT_EQ(r->keyframes, 1u);
  EXPECT_GT(r->bytes, 0u);
  EXPECT_EQ(std::filesystem::file_size(path), r->bytes);
  EXPECT_GT(r->encode_ms_p50, 0.0);
  EXPECT_LE(r->encode_ms_p50, r->encode_ms_p99);
  EXPECT_EQ(r->au_intact, 30u);  // no loss: every access unit byte-identical
  EXPECT_EQ(r->au_lost + r->au_mismatched, 0u);
  expect_playable(path, 30);
  std::filesystem::remove(path);
}

INSTANTIATE_TEST_SUITE_P(Sources,
                         SpikeSourceTest,
                         ::testing::Values(SpikeSource::kSynthetic, SpikeSource::kX11));

TEST(SpikeTest, CoreRoundTripUnderLossRebuildsWithFec) {
  SpikeOptions o;
  o.width = 640;
  o.height = 480;
  o.fps = 30;
  o.seconds = 2.0;
  o.realtime = false;
  o.loss_percent = 5;
  o.fec_percent = 50;
  auto r = run_spike(o, SteadyClock::instance());
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->au_mismatched, 0u);
  EXPECT_EQ(r->au_intact + r->au_lost, r->frames);
  EXPECT_GE(r->au_intact, r->frames * 95 / 100);
  EXPECT_GT(r->shards_recovered, 0u);
}

TEST(SpikeTest, UnwritableOutputIsAClearError) {
  SpikeOptions o;
  o.width = 320;
  o.height = 240;
  o.seconds = 0.1;
  o.output_path = "/nonexistent-dir/x.h264";
  auto r = run_spike(o, SteadyClock::instance());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(r.error().message().find("/nonexistent-dir/x.h264"), std::string::npos);
}

TEST(SpikeTest, WrongDisplaySizeIsAClearError) {
  SpikeOptions o;
  o.source = SpikeSource::kX11;
  o.display = ":9876";
  o.seconds = 0.1;
  auto r = run_spike(o, SteadyClock::instance());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find(":9876"), std::string::npos);
}

TEST(SpikeTest, StopFlagEndsEarly) {
  SpikeOptions o;
  o.width = 320;
  o.height = 240;
  o.seconds = 100;
  o.realtime = false;
  volatile bool stop = true;
  auto r = run_spike(o, SteadyClock::instance(), &stop);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->frames, 0u);
}

}  // namespace
}  // namespace pf::host
