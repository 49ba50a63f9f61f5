// SPDX-License-Identifier: MIT OR Apache-2.0
#include "session/packetizer.h"

#include <map>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "proto/native/video_packet.h"
#include "session/fec_policy.h"

namespace pf::session {
namespace {

using proto::native::kAeadTagBytes;
using proto::native::kVideoHeaderBytes;

PacketizerConfig config(uint16_t shard = 1408, uint8_t pct = 20) {
  PacketizerConfig c;
  c.shard_bytes = shard;
  c.fec_percent = pct;
  c.key.assign(16, 0x42);
  for (size_t i = 0; i < c.iv_base.size(); ++i)
    c.iv_base[i] = static_cast<uint8_t>(i * 7);
  return c;
}

// Opens every packet, checks its header, recovers each block from the data
// shards after dropping `lose` packets per block (rebuilt with FEC), and
// returns the frame bytes the length prefix announces.
std::vector<uint8_t> receive(const PacketizerConfig& cfg,
                             std::span<const std::span<const uint8_t>> packets,
                             uint32_t frame_index,
                             size_t lose_per_block,
                             std::mt19937& rng) {
  auto aead = crypto::Aead::create(cfg.cipher, cfg.key, crypto::AeadBackend::kOpenSsl);
  EXPECT_TRUE(aead);
  const size_t s = cfg.shard_bytes;
  struct Block {
    uint16_t k = 0, m = 0;
    bool gf16 = false;
    std::vector<std::vector<uint8_t>> shards;
    std::vector<uint8_t> present;
  };
  std::map<uint16_t, Block> blocks;
  uint64_t last_pn = 0;
  bool first = true;
  for (auto p : packets) {
    EXPECT_EQ(p.size(), kVideoHeaderBytes + s + kAeadTagBytes);
    auto h = proto::native::parse_video_header(p);
    EXPECT_TRUE(h) << h.error().to_string();
    EXPECT_EQ(h->frame_index, frame_index);
    if (!first) {
      EXPECT_EQ(h->packet_number, last_pn + 1);
    }
    first = false;
    last_pn = h->packet_number;
    std::array<uint8_t, crypto::kNonceBytes> nonce;
    crypto::make_nonce(cfg.iv_base, h->packet_number, nonce);
    std::vector<uint8_t> shard(s);
    EXPECT_TRUE((*aead)->open(nonce, p.first(kVideoHeaderBytes), p.subspan(kVideoHeaderBytes),
                              shard.data()));
    auto& b = blocks[h->block_index];
    b.k = h->k;
    b.m = h->m;
    b.gf16 = h->gf16();
    b.shards.resize(b.k + b.m, std::vector<uint8_t>(s));
    b.present.resize(b.k + b.m, 0);
    b.shards[h->shard_index] = shard;
    b.present[h->shard_index] = 1;
  }
  std::vector<uint8_t> stream;
  fec::CauchyCodec gf8;
  fec::LeopardCodec gf16;
  for (auto& [index, b] : blocks) {
    EXPECT_EQ(b.m, parity_for(b.k, cfg.fec_percent));
    for (size_t i = 0; i < lose_per_block && i < b.m; ++i) {
      const size_t victim = rng() % (b.k + b.m);
      b.present[victim] = 0;
      std::fill(b.shards[victim].begin(), b.shards[victim].end(), 0);
    }
    std::vector<uint8_t*> ptrs;
    for (auto& v : b.shards)
      ptrs.push_back(v.data());
    Status st = b.gf16 ? gf16.decode(b.k, b.m, s, ptrs.data(), b.present)
                       : gf8.decode(b.k, b.m, s, ptrs.data(), b.present);
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    for (size_t i = 0; i < b.k; ++i)
      stream.insert(stream.end(), b.shards[i].begin(), b.shards[i].end());
  }
  const uint32_t len = stream[0] | stream[1] << 8 | stream[2] << 16 | uint32_t{stream[3]} << 24;
  EXPECT_LE(len + 4u, stream.size());
  for (size_t i = 4 + len; i < stream.size(); ++i)
    EXPECT_EQ(stream[i], 0) << "padding";
  return std::vector<uint8_t>(stream.begin() + 4, stream.begin() + 4 + len);
}

TEST(PacketizerTest, FramesOfManySizesRoundTripUnderLoss) {
  const uint32_t seed = 5150;
  std::mt19937 rng(seed);
  auto cfg = config();
  auto pz = Packetizer::create(cfg);
  ASSERT_TRUE(pz) << pz.error().to_string();
  uint32_t index = 1;
  for (size_t size : {0, 1, 1403, 1404, 1405, 50'000, 400'000, 2'000'000}) {
    std::vector<uint8_t> frame(size);
    for (auto& b : frame)
      b = static_cast<uint8_t>(rng());
    auto packets = (*pz)->packetize({frame, index, 1000u * index, index == 1});
    ASSERT_TRUE(packets) << packets.error().to_string();
    const size_t k = data_shards_for(size, cfg.shard_bytes);
    EXPECT_GE(packets->size(), k + 2);
    EXPECT_EQ(receive(cfg, *packets, index, 2, rng), frame) << "size " << size << " seed " << seed;
    ++index;
  }
}

TEST(PacketizerTest, HugeFramesUseSeveralGf16Blocks) {
  auto cfg = config(1408, 20);
  cfg.block_limit = 32768;
  auto pz = Packetizer::create(cfg);
  ASSERT_TRUE(pz);
  std::vector<uint8_t> frame(50'000'000, 0x5A);  // > 32768 shards
  auto packets = (*pz)->packetize({frame, 9, 0, true});
  ASSERT_TRUE(packets);
  std::map<uint16_t, int> blocks;
  bool saw_last = false;
  for (auto p : *packets) {
    auto h = proto::native::parse_video_header(p);
    ASSERT_TRUE(h);
    EXPECT_TRUE(h->gf16());
    EXPECT_TRUE(h->keyframe());
    blocks[h->block_index]++;
    saw_last |= h->last_block();
  }
  EXPECT_EQ(blocks.size(), 2u);
  EXPECT_TRUE(saw_last);
}

TEST(PacketizerTest, LargeFramesGoOutAsInterleavedGf8Blocks) {
  // 1 MB at 20 %: 711 data shards in blocks of k0 = 178 (4 blocks, the last
  // 177), each within GF(2^8); on the wire shard 0 of every block, then
  // shard 1, ..., packet numbers in send order.
  auto pz = Packetizer::create(config(1408, 20));
  ASSERT_TRUE(pz);
  std::vector<uint8_t> frame(1'000'000, 0x11);
  auto packets = (*pz)->packetize({frame, 1, 0, false});
  ASSERT_TRUE(packets);
  std::map<uint16_t, std::pair<uint16_t, uint16_t>> shapes;
  std::map<uint16_t, uint16_t> next_shard;
  for (size_t i = 0; i < packets->size(); ++i) {
    auto h = proto::native::parse_video_header((*packets)[i]);
    ASSERT_TRUE(h);
    EXPECT_FALSE(h->gf16());
    EXPECT_EQ(h->packet_number, i);
    EXPECT_EQ(h->last_block(), h->block_index == 3);
    EXPECT_EQ(h->shard_index, next_shard[h->block_index]++) << i;
    shapes[h->block_index] = {h->k, h->m};
    if (i < 4 * 177) {
      EXPECT_EQ(h->block_index, i % 4) << i;  // every block has shard i / 4
    }
  }
  ASSERT_EQ(shapes.size(), 4u);
  for (uint16_t b = 0; b < 3; ++b)
    EXPECT_EQ(shapes[b], std::make_pair(uint16_t{178}, uint16_t{36}));
  EXPECT_EQ(shapes[3], std::make_pair(uint16_t{177}, uint16_t{36}));
}

TEST(PacketizerTest, PacketNumbersContinueAcrossFrames) {
  auto pz = Packetizer::create(config(256, 10));
  ASSERT_TRUE(pz);
  std::vector<uint8_t> f(1000, 1);
  auto a = (*pz)->packetize({f, 1, 0, false});
  ASSERT_TRUE(a);
  const uint64_t after_first = (*pz)->next_packet_number();
  EXPECT_EQ(after_first, a->size());
  auto b = (*pz)->packetize({f, 2, 0, false});
  ASSERT_TRUE(b);
  EXPECT_EQ(proto::native::parse_video_header((*b)[0])->packet_number, after_first);
}

TEST(PacketizerTest, BadInputIsAnError) {
  auto cfg = config();
  cfg.shard_bytes = 1400;
  EXPECT_FALSE(Packetizer::create(cfg));
  cfg = config();
  cfg.key.resize(5);
  EXPECT_FALSE(Packetizer::create(cfg));
  cfg = config();
  cfg.max_frame_bytes = 100;
  auto pz = Packetizer::create(cfg);
  ASSERT_TRUE(pz);
  std::vector<uint8_t> big(101);
  EXPECT_EQ((*pz)->packetize({big, 1, 0, false}).error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ((*pz)->packetize({big, 0, 0, false}).error().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace pf::session
