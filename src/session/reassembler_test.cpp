// SPDX-License-Identifier: MIT OR Apache-2.0
#include "session/reassembler.h"

#include <algorithm>
#include <random>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "proto/native/video_packet.h"
#include "session/fec_policy.h"
#include "session/packetizer.h"

namespace pf::session {
namespace {

using Kind = ReassemblyEvent::Kind;
using Verdict = Reassembler::Verdict;
using Packets = std::vector<std::vector<uint8_t>>;

constexpr uint64_t kDeadline = 10'000;

struct Pair {
  std::unique_ptr<Packetizer> tx;
  std::unique_ptr<Reassembler> rx;
};

Pair make_pair(uint16_t shard = 1408,
               uint8_t pct = 20,
               ReassemblerConfig rc = {},
               size_t block_limit = 0) {
  PacketizerConfig pc;
  pc.shard_bytes = shard;
  pc.block_limit = block_limit;
  pc.fec_percent = pct;
  pc.key.assign(16, 0x42);
  for (size_t i = 0; i < pc.iv_base.size(); ++i)
    pc.iv_base[i] = static_cast<uint8_t>(3 * i + 1);
  rc.shard_bytes = shard;
  rc.key = pc.key;
  rc.iv_base = pc.iv_base;
  rc.frame_deadline_us = kDeadline;
  auto tx = Packetizer::create(pc);
  auto rx = Reassembler::create(rc);
  EXPECT_TRUE(tx && rx);
  return {std::move(*tx), std::move(*rx)};
}

std::vector<uint8_t> frame_bytes(size_t n, uint32_t seed) {
  std::vector<uint8_t> f(n);
  std::mt19937 rng(seed);
  for (auto& b : f)
    b = static_cast<uint8_t>(rng());
  return f;
}

Packets packetize(Packetizer& tx, const std::vector<uint8_t>& f, uint32_t index, bool key = false) {
  auto r = tx.packetize({f, index, 1000u * index, key});
  EXPECT_TRUE(r) << r.error().to_string();
  Packets out;
  for (auto p : *r)
    out.emplace_back(p.begin(), p.end());
  return out;
}

struct Got {
  Kind kind;
  uint32_t index, count;
  std::vector<uint8_t> data;
  uint32_t recovered;
};

std::vector<Got> drain(Reassembler& rx, uint64_t now) {
  std::vector<Got> out;
  while (auto ev = rx.poll(now))
    out.push_back({ev->kind,
                   ev->frame_index,
                   ev->count,
                   {ev->data.begin(), ev->data.end()},
                   ev->shards_recovered});
  return out;
}

TEST(ReassemblerTest, DeliversFramesInOrderByteForByte) {
  auto [tx, rx] = make_pair();
  const std::vector<size_t> sizes = {0, 1, 1403, 1404, 1405, 100'000, 1'000'000, 7};
  uint32_t index = 1;
  for (size_t n : sizes) {
    const auto f = frame_bytes(n, index);
    size_t accepted = 0;
    for (const auto& p : packetize(*tx, f, index, index == 1)) {
      const auto v = rx->push(p, index * 100);
      EXPECT_TRUE(v == Verdict::kAccepted || v == Verdict::kSurplus) << to_string(v);
      accepted += v == Verdict::kAccepted;
    }
    EXPECT_EQ(accepted, data_shards_for(n, 1408));  // every data shard, no parity
    auto got = drain(*rx, index * 100);
    ASSERT_EQ(got.size(), 1u) << "frame of " << n;
    EXPECT_EQ(got[0].kind, Kind::kFrame);
    EXPECT_EQ(got[0].index, index);
    EXPECT_EQ(got[0].data, f);
    ++index;
  }
  EXPECT_EQ(rx->stats().frames_complete, sizes.size());
  EXPECT_EQ(rx->stats().frames_lost, 0u);
}

TEST(ReassemblerTest, EventCarriesTimesAndFlags) {
  auto [tx, rx] = make_pair();
  const auto f = frame_bytes(5000, 1);
  for (const auto& p : packetize(*tx, f, 3, true))
    rx->push(p, 777);
  auto ev = rx->poll(800);
  ASSERT_TRUE(ev);
  EXPECT_TRUE(ev->keyframe);
  EXPECT_EQ(ev->capture_us, 3000u);
  EXPECT_EQ(ev->first_packet_us, 777u);
  EXPECT_EQ(ev->done_us, 777u);
  EXPECT_FALSE(rx->poll(800));
}

TEST(ReassemblerTest, TheRecoveryFlagReachesTheEvent) {
  auto [tx, rx] = make_pair();
  const auto f = frame_bytes(3000, 1);
  VideoFrame vf{f, 1, 1000, false};
  vf.recovery = true;
  auto r = tx->packetize(vf);
  ASSERT_TRUE(r);
  for (const auto& p : *r)
    rx->push(p, 10);
  auto ev = rx->poll(20);
  ASSERT_TRUE(ev);
  EXPECT_TRUE(ev->recovery);
  EXPECT_FALSE(ev->keyframe);
}

TEST(ReassemblerTest, RecoversEveryLossPatternWithinParity) {
  // 300 kB: one GF(2^16) block of 214 + 43 shards; 20 kB: GF(2^8) 15 + 3.
  for (size_t n : {20'000u, 300'000u}) {
    auto [tx, rx] = make_pair();
    std::mt19937 rng(5);
    for (uint32_t i = 1; i <= 20; ++i) {
      const auto f = frame_bytes(n, i);
      auto ps = packetize(*tx, f, i);
      auto h = proto::native::parse_video_header(ps[0]);
      std::shuffle(ps.begin(), ps.end(), rng);
      const size_t lose = i % (h->m + 1);  // 0 .. m losses
      for (size_t j = lose; j < ps.size(); ++j)
        rx->push(ps[j], i);
      auto got = drain(*rx, i);
      ASSERT_EQ(got.size(), 1u);
      EXPECT_EQ(got[0].kind, Kind::kFrame);
      EXPECT_EQ(got[0].data, f);
    }
    EXPECT_GT(rx->stats().shards_recovered, 0u);
    EXPECT_EQ(rx->stats().frames_complete, 20u);
  }
}

TEST(ReassemblerTest, SurplusParityIsNotDecrypted) {
  auto [tx, rx] = make_pair();
  const auto ps = packetize(*tx, frame_bytes(20'000, 1), 1);
  const auto h = proto::native::parse_video_header(ps[0]);
  for (size_t j = 0; j < ps.size(); ++j)
    EXPECT_EQ(rx->push(ps[j], 0), j < h->k ? Verdict::kAccepted : Verdict::kSurplus);
  EXPECT_EQ(rx->stats().packets_surplus, h->m);
  // Also after it was handed out.
  ASSERT_TRUE(rx->poll(0));
  EXPECT_EQ(rx->push(ps.back(), 0), Verdict::kSurplus);
  EXPECT_EQ(rx->push(ps.front(), 0), Verdict::kDuplicate);
}

TEST(ReassemblerTest, TooManyLossesReportLostAtDeadlineThenContinue) {
  auto [tx, rx] = make_pair();
  const auto f1 = frame_bytes(20'000, 1), f2 = frame_bytes(20'000, 2);
  auto p1 = packetize(*tx, f1, 1);
  auto p2 = packetize(*tx, f2, 2);
  const auto h = proto::native::parse_video_header(p1[0]);
  for (size_t j = h->m + 1; j < p1.size(); ++j)  // m + 1 lost: unrecoverable
    rx->push(p1[j], 100);
  for (const auto& p : p2)
    rx->push(p, 200);
  // Frame 2 is complete but waits behind frame 1 until frame 1's deadline.
  EXPECT_TRUE(drain(*rx, 100 + kDeadline - 1).empty());
  auto got = drain(*rx, 100 + kDeadline);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].kind, Kind::kFrameLost);
  EXPECT_EQ(got[0].index, 1u);
  EXPECT_EQ(got[1].kind, Kind::kFrame);
  EXPECT_EQ(got[1].data, f2);
  // Stragglers of the lost frame are late, not used.
  EXPECT_EQ(rx->push(p1[0], 300), Verdict::kLate);
  EXPECT_EQ(rx->stats().frames_lost, 1u);
  EXPECT_EQ(rx->stats().packets_late, 1u);
}

TEST(ReassemblerTest, AFrameWithNoPacketAtAllIsReportedLost) {
  auto [tx, rx] = make_pair();
  auto p1 = packetize(*tx, frame_bytes(3000, 1), 1);
  auto p2 = packetize(*tx, frame_bytes(3000, 2), 2);  // never arrives
  auto p3 = packetize(*tx, frame_bytes(3000, 3), 3);
  for (const auto& p : p1)
    rx->push(p, 0);
  for (const auto& p : p3)
    rx->push(p, 50);
  auto got = drain(*rx, 60);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].index, 1u);
  EXPECT_TRUE(drain(*rx, 50 + kDeadline - 1).empty());
  got = drain(*rx, 50 + kDeadline);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].kind, Kind::kFrameLost);
  EXPECT_EQ(got[0].index, 2u);
  EXPECT_EQ(got[1].index, 3u);
}

TEST(ReassemblerTest, ReorderedFramesComeOutInOrder) {
  auto [tx, rx] = make_pair();
  const auto f1 = frame_bytes(9000, 1), f2 = frame_bytes(9000, 2);
  auto p1 = packetize(*tx, f1, 1);
  auto p2 = packetize(*tx, f2, 2);
  rx->push(p1[0], 0);
  for (const auto& p : p2)
    rx->push(p, 1);
  EXPECT_TRUE(drain(*rx, 2).empty());
  for (size_t j = 1; j < p1.size(); ++j)
    rx->push(p1[j], 3);
  auto got = drain(*rx, 3);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].data, f1);
  EXPECT_EQ(got[1].data, f2);
}

TEST(ReassemblerTest, DuplicatesReplaysAndForgeriesChangeNothing) {
  auto [tx, rx] = make_pair();
  const auto f = frame_bytes(30'000, 1);
  auto ps = packetize(*tx, f, 1);
  EXPECT_EQ(rx->push(ps[0], 0), Verdict::kAccepted);
  EXPECT_EQ(rx->push(ps[0], 0), Verdict::kDuplicate);
  // A flipped bit anywhere: header (AAD), ciphertext or tag.
  for (size_t at : {5u, 12u, 40u, 1000u, 1440u, 1455u}) {
    auto bad = ps[1];
    bad[at] ^= 0x10;
    EXPECT_EQ(rx->push(bad, 0), Verdict::kAuthFailed) << at;
  }
  // Wrong size.
  auto shortp = ps[1];
  shortp.pop_back();
  EXPECT_EQ(rx->push(shortp, 0), Verdict::kMalformed);
  EXPECT_EQ(rx->push({}, 0), Verdict::kMalformed);
  // Unknown flag bits / a reserved byte are refused by the parser.
  auto flags = ps[1];
  flags[3] = 1;
  EXPECT_EQ(rx->push(flags, 0), Verdict::kMalformed);
  // The genuine packets still complete the frame.
  for (size_t j = 1; j < ps.size(); ++j)
    rx->push(ps[j], 0);
  auto got = drain(*rx, 0);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].data, f);
  EXPECT_EQ(rx->stats().auth_failures, 6u);
  EXPECT_EQ(rx->stats().duplicates, 1u);
  EXPECT_EQ(rx->stats().malformed, 3u);
}

TEST(ReassemblerTest, WrongKeyAuthenticatesNothing) {
  auto [tx, rx] = make_pair();
  ReassemblerConfig rc;
  rc.key.assign(16, 0x43);
  auto other = Reassembler::create(rc);
  ASSERT_TRUE(other);
  for (const auto& p : packetize(*tx, frame_bytes(5000, 1), 1))
    EXPECT_EQ((*other)->push(p, 0), Verdict::kAuthFailed);
  EXPECT_FALSE((*other)->poll(1'000'000));
}

TEST(ReassemblerTest, PacketsBehindTheReplayWindowAreTooOld) {
  // 1 MB frames are ~860 packets; 200 of them move the window past frame 1.
  ReassemblerConfig rc;
  rc.frames_in_flight = 4;
  auto [tx, rx] = make_pair(1408, 20, rc);
  auto old = packetize(*tx, frame_bytes(1000, 1), 1);
  for (uint32_t i = 2; i < 200; ++i)
    for (const auto& p : packetize(*tx, frame_bytes(1'000'000, 9), i))
      rx->push(p, i);
  EXPECT_EQ(rx->push(old[0], 500), Verdict::kTooOld);
  EXPECT_EQ(rx->stats().too_old, 1u);
}

TEST(ReassemblerTest, AJumpAheadSkipsOldFramesAsOneLostRange) {
  ReassemblerConfig rc;
  rc.frames_in_flight = 4;
  auto [tx, rx] = make_pair(1408, 20, rc);
  for (const auto& p : packetize(*tx, frame_bytes(100, 1), 1))
    rx->push(p, 0);
  auto p2 = packetize(*tx, frame_bytes(5000, 2), 2);
  rx->push(p2[0], 0);  // frame 2 incomplete, 1 complete and unpolled
  const auto f = frame_bytes(100, 100);
  for (const auto& p : packetize(*tx, f, 100))
    rx->push(p, 10);
  auto got = drain(*rx, 10);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind, Kind::kFrameLost);
  EXPECT_EQ(got[0].index, 1u);
  EXPECT_EQ(got[0].count, 96u);  // 1 .. 96; 97..99 still have time
  EXPECT_EQ(rx->stats().frames_unpolled, 1u);
  got = drain(*rx, 10 + kDeadline);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].index, 97u);
  EXPECT_EQ(got[2].index, 99u);
  EXPECT_EQ(got[3].kind, Kind::kFrame);
  EXPECT_EQ(got[3].data, f);
}

TEST(ReassemblerTest, MultiBlockFramesWithLoss) {
  // 64-byte shards and GF(2^16) blocks of up to 32768 data shards: 2.5 MB is
  // two blocks, 5 MB three.
  auto [tx, rx] = make_pair(64, 10, {}, 32768);
  std::mt19937 rng(3);
  for (uint32_t i = 1; i <= 2; ++i) {
    const auto f = frame_bytes(2'500'000 * i, i);
    auto ps = packetize(*tx, f, i);
    std::shuffle(ps.begin(), ps.end(), rng);
    for (size_t j = 0; j < ps.size(); ++j)
      if (j % 20 != 0)  // 5 % loss
        rx->push(ps[j], i);
    auto got = drain(*rx, i);
    ASSERT_EQ(got.size(), 1u);
    ASSERT_EQ(got[0].kind, Kind::kFrame);
    EXPECT_EQ(got[0].data, f);
  }
  EXPECT_GT(rx->stats().blocks_recovered, 2u);
}

TEST(ReassemblerTest, Gf8BlocksOfALargeFrameRideOutBurstsOfLoss) {
  // 3 MB at 20 %: 11 GF(2^8) blocks of 212 + 43 shards, sent interleaved.
  // Bursts of 40 packets in a row (5 % in all) cost each block a few shards,
  // though one burst is nearly a block's whole parity.
  auto [tx, rx] = make_pair();
  const auto f = frame_bytes(3'000'000, 5);
  const auto ps = packetize(*tx, f, 1);
  std::set<uint16_t> blocks;
  for (const auto& p : ps) {
    auto h = proto::native::parse_video_header(p);
    ASSERT_TRUE(h);
    EXPECT_FALSE(h->gf16());
    blocks.insert(h->block_index);
  }
  EXPECT_EQ(blocks.size(), 11u);
  for (size_t j = 0; j < ps.size(); ++j)
    if (j % 800 >= 40)
      rx->push(ps[j], 1);
  auto got = drain(*rx, 1);
  ASSERT_EQ(got.size(), 1u);
  ASSERT_EQ(got[0].kind, Kind::kFrame);
  EXPECT_EQ(got[0].data, f);
  EXPECT_EQ(rx->stats().blocks_recovered, 11u);
}

TEST(ReassemblerTest, ALastBlockArrivingFirstIsPlacedWhenTheOthersCome) {
  // The last block's packets before any other: its place in the frame is
  // not known yet (k0 is), so it waits aside and joins the frame at the end.
  auto [tx, rx] = make_pair(1408, 20, {}, 100);
  const auto f = frame_bytes(1'000'000, 6);  // 711 data shards: 7 x 89 + 88
  auto ps = packetize(*tx, f, 1);
  std::stable_partition(ps.begin(), ps.end(), [](const auto& p) {
    return proto::native::parse_video_header(p)->last_block();
  });
  ASSERT_TRUE(proto::native::parse_video_header(ps[0])->last_block());
  EXPECT_EQ(proto::native::parse_video_header(ps[0])->k, 88u);
  for (size_t j = 0; j < ps.size(); ++j)
    if (j != 0 && j != 5 && j != 200)  // a data shard of the last block among them
      rx->push(ps[j], 1);
  auto got = drain(*rx, 1);
  ASSERT_EQ(got.size(), 1u);
  ASSERT_EQ(got[0].kind, Kind::kFrame);
  EXPECT_EQ(got[0].data, f);
  EXPECT_GE(rx->stats().blocks_recovered, 2u);  // the last block rebuilt aside
}

TEST(ReassemblerTest, BlocksOfOneFrameWithDifferentShapesAreMalformed) {
  // Every block but the last must have the frame's k0: a block that says
  // otherwise (authenticated, from a broken sender) cannot be placed.
  auto [tx100, rx] = make_pair(1408, 20, {}, 100);
  auto [tx50, unused] = make_pair(1408, 20, {}, 50);
  const auto f = frame_bytes(400'000, 7);
  const auto a = packetize(*tx100, f, 1);  // blocks of 100
  const auto b = packetize(*tx50, f, 1);   // blocks of 50, same key
  for (const auto& p : a) {
    auto h = proto::native::parse_video_header(p);
    if (h->block_index == 0 && h->shard_index < 50)
      rx->push(p, 1);
  }
  size_t malformed = 0;
  for (const auto& p : b) {
    auto h = proto::native::parse_video_header(p);
    if (h->block_index == 1 && !h->last_block())
      malformed += rx->push(p, 1) == Verdict::kMalformed;
  }
  EXPECT_GT(malformed, 0u);
  EXPECT_EQ(rx->stats().malformed, malformed);
}

TEST(ReassemblerTest, MemoryStaysWithinBudget) {
  ReassemblerConfig rc;
  rc.max_buffer_bytes = 4u << 20;
  rc.max_frame_bytes = 2u << 20;
  auto [tx, rx] = make_pair(1408, 20, rc);
  // A 3 MB frame is over the frame limit; 1.5 MB frames fit, but not many
  // at once: incomplete ones pile up until the budget refuses more.
  for (const auto& p : packetize(*tx, frame_bytes(3'000'000, 1), 1))
    rx->push(p, 0);
  EXPECT_GT(rx->stats().over_budget, 0u);
  for (uint32_t i = 2; i < 8; ++i) {
    auto ps = packetize(*tx, frame_bytes(1'500'000, i), i);
    for (size_t j = 0; j < ps.size() / 2; ++j)
      rx->push(ps[j], 0);
    EXPECT_LE(rx->buffer_bytes(), rc.max_buffer_bytes);
  }
  EXPECT_LE(rx->buffer_bytes(), rc.max_buffer_bytes);
  // Once those are given up, whole frames flow again.
  drain(*rx, kDeadline);
  const auto f = frame_bytes(1'500'000, 8);
  for (const auto& p : packetize(*tx, f, 8))
    rx->push(p, kDeadline + 1);
  auto got = drain(*rx, kDeadline + 1);
  const auto& st = rx->stats();
  ASSERT_FALSE(got.empty()) << st.over_budget << " " << st.frames_lost << " " << st.packets_accepted
                            << " " << rx->buffer_bytes();
  EXPECT_EQ(got.back().index, 8u);
  EXPECT_EQ(got.back().data, f);
}

TEST(ReassemblerTest, RejectsBadConfig) {
  ReassemblerConfig rc;
  rc.key.assign(16, 1);
  rc.shard_bytes = 100;
  EXPECT_FALSE(Reassembler::create(rc));
  rc.shard_bytes = 1408;
  rc.frames_in_flight = 1;
  EXPECT_FALSE(Reassembler::create(rc));
  rc.frames_in_flight = 8;
  rc.key.assign(5, 1);
  EXPECT_FALSE(Reassembler::create(rc));
}

}  // namespace
}  // namespace pf::session
