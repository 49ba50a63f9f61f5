// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/gamestream/video.h"

#include <random>

#include <gtest/gtest.h>

namespace pf::proto::gamestream {
namespace {

uint32_t le32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

std::vector<uint8_t> au_of(size_t n, uint32_t seed) {
  std::vector<uint8_t> a(n);
  std::mt19937 rng(seed);
  for (auto& b : a)
    b = static_cast<uint8_t>(rng());
  if (n >= 4) {  // an Annex-B start code, as the codec emits
    a[0] = a[1] = a[2] = 0;
    a[3] = 1;
  }
  return a;
}

TEST(GsVideoTest, DatagramLayoutFollowsTheDocument) {
  VideoSenderConfig c;
  c.packet_size = 1392;
  c.fec_percent = 20;
  auto tx = VideoSender::create(c);
  ASSERT_TRUE(tx);
  const auto au = au_of(5000, 1);  // 5008 bytes with the header: 4 packets of 1376
  auto ps = (*tx)->packetize(au, 1, 90'000, FrameType::kIdr, 42);
  ASSERT_TRUE(ps);
  // k = 4, parity = max(ceil(4 * 20 / 100) = 1, min 2) = 2, advertised 50 %.
  ASSERT_EQ(ps->size(), 6u);
  for (size_t i = 0; i < ps->size(); ++i) {
    const uint8_t* p = (*ps)[i].data();
    ASSERT_EQ((*ps)[i].size(), 1408u);
    EXPECT_EQ(p[0], 0x90);
    EXPECT_EQ(p[2] << 8 | p[3], static_cast<int>(i));  // contiguous sequence
    // 90 000 on the 90 kHz clock, big-endian.
    EXPECT_EQ((std::vector<uint8_t>(p + 4, p + 8)), (std::vector<uint8_t>{0x00, 0x01, 0x5F, 0x90}));
    const uint8_t* nv = p + 16;
    EXPECT_EQ(le32(nv + 4), 1u);  // frame index
    EXPECT_EQ(nv[10], 0x10);
    EXPECT_EQ(nv[11], 0x00);  // block 0 of 1
    const uint32_t info = le32(nv + 12);
    EXPECT_EQ(info >> 22, 4u);           // data shards
    EXPECT_EQ((info >> 12) & 0x3FF, i);  // shard index
    EXPECT_EQ((info >> 4) & 0xFF, 50u);  // advertised percent
    if (i < 4) {
      EXPECT_EQ(le32(nv), static_cast<uint32_t>(i) << 8);  // streamPacketIndex
      EXPECT_EQ(nv[8], kFlagPicData | (i == 0 ? kFlagSof : 0) | (i == 3 ? kFlagEof : 0));
    }
  }
  // Frame header in the first payload: 0x01, latency, type, last payload length.
  const uint8_t* fh = (*ps)[0].data() + 32;
  EXPECT_EQ(fh[0], 0x01);
  EXPECT_EQ(fh[1] | fh[2] << 8, 42);
  EXPECT_EQ(fh[3], 2);
  EXPECT_EQ(fh[4] | fh[5] << 8, 5008 - 3 * 1376);
  // The next frame continues the sequence.
  auto next = (*tx)->packetize(au_of(100, 2), 2, 91'500, FrameType::kP);
  EXPECT_EQ((*next)[0][2] << 8 | (*next)[0][3], 6);
}

TEST(GsVideoTest, ParityCountIsReproducibleFromTheAdvertisedPercent) {
  for (int pct : {5, 20, 50, 100}) {
    for (size_t n : {10u, 1500u, 30'000u, 300'000u, 1'200'000u}) {
      VideoSenderConfig c;
      c.fec_percent = pct;
      auto tx = VideoSender::create(c);
      auto ps = (*tx)->packetize(au_of(n, 3), 1, 0, FrameType::kP);
      ASSERT_TRUE(ps) << ps.error().to_string();
      // Walk the blocks: shards = k + ceil(k * advertised / 100), <= 255, <= 4 blocks.
      size_t i = 0, blocks = 0;
      while (i < ps->size()) {
        const uint8_t* nv = (*ps)[i].data() + 16;
        const uint32_t info = le32(nv + 12);
        const size_t k = info >> 22, adv = (info >> 4) & 0xFF;
        const size_t m = (k * adv + 99) / 100;
        if (adv == 0) {  // too big for FEC in 4 blocks: sent without parity
          EXPECT_LE(k, 1023u);
        } else {
          EXPECT_LE(k + m, 255u);
          EXPECT_GE(m, std::min<size_t>(2, 255 - k));
        }
        EXPECT_EQ((nv[11] >> 4) & 3, blocks);
        i += k + m;
        ++blocks;
      }
      EXPECT_EQ(i, ps->size()) << "pct " << pct << " size " << n;
      EXPECT_LE(blocks, 4u);
    }
  }
}

class GsVideoRoundTrip : public ::testing::TestWithParam<bool> {};

TEST_P(GsVideoRoundTrip, TenPercentLossIsRepairedByFec) {
  const bool encrypt = GetParam();
  VideoSenderConfig c;
  c.packet_size = encrypt ? 1392 - 32 : 1392;
  c.fec_percent = 20;
  c.encrypt = encrypt;
  for (int i = 0; i < 16; ++i)
    c.key[i] = static_cast<uint8_t>(i + 100);
  auto tx = VideoSender::create(c);
  ASSERT_TRUE(tx);
  VideoReceiver rx(c.packet_size, encrypt, c.key);
  std::mt19937 rng(9);
  size_t delivered = 0, counter = 0;
  for (uint32_t f = 1; f <= 150; ++f) {
    const size_t n = f % 30 == 1 ? 400'000 : 2'000 + rng() % 60'000;  // keyframes bigger
    const auto au = au_of(n, f);
    auto ps = (*tx)->packetize(au, f, f * 1500, f % 30 == 1 ? FrameType::kIdr : FrameType::kP);
    ASSERT_TRUE(ps);
    std::optional<std::vector<uint8_t>> got;
    for (auto p : *ps)
      if (++counter % 10 != 0)  // every 10th datagram is lost
        if (auto a = rx.push(p))
          got = std::move(a);
    ASSERT_TRUE(got) << "frame " << f;
    EXPECT_EQ(*got, au) << "frame " << f;
    delivered += got.has_value();
  }
  EXPECT_EQ(delivered, 150u);
  EXPECT_GT(rx.recovered_shards(), 100u);
  EXPECT_EQ(rx.bad_datagrams(), 0u);
}

INSTANTIATE_TEST_SUITE_P(PlainAndEncrypted, GsVideoRoundTrip, ::testing::Bool());

TEST(GsVideoTest, EncryptedDatagramsCarryIvAndFrameIndexAndRejectTampering) {
  VideoSenderConfig c;
  c.packet_size = 1360;
  c.encrypt = true;
  auto tx = VideoSender::create(c);
  auto ps = (*tx)->packetize(au_of(3000, 5), 7, 0, FrameType::kIdr);
  ASSERT_TRUE(ps);
  const uint8_t* e = (*ps)[1].data();
  EXPECT_EQ((*ps)[1].size(), 32u + 1376);
  EXPECT_EQ(e[0], 1);  // LE64 counter: second datagram
  EXPECT_EQ(e[11], 'V');
  EXPECT_EQ(le32(e + 12), 7u);
  VideoReceiver rx(1360, true, c.key);
  std::vector<uint8_t> bad((*ps)[0].begin(), (*ps)[0].end());
  bad[40] ^= 1;
  EXPECT_FALSE(rx.push(bad));
  EXPECT_EQ(rx.bad_datagrams(), 1u);
}

TEST(GsVideoTest, RejectsBadConfigAndOversizedFrames) {
  VideoSenderConfig c;
  c.packet_size = 1000;  // not a multiple of 16
  EXPECT_FALSE(VideoSender::create(c));
  c.packet_size = 64;
  auto tx = VideoSender::create(c);
  ASSERT_TRUE(tx);
  EXPECT_FALSE((*tx)->packetize(std::vector<uint8_t>(300'000), 1, 0, FrameType::kP));
}

}  // namespace
}  // namespace pf::proto::gamestream
