// SPDX-License-Identifier: MIT OR Apache-2.0
#include "fec/cauchy_codec.h"
#include "fec/erasures.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace pf::fec {
namespace {

struct Block {
  size_t k, m, s;
  std::vector<std::vector<uint8_t>> shards;  // k + m
  std::vector<uint8_t*> ptrs;
  Block(size_t k_, size_t m_, size_t s_, std::mt19937& rng) : k(k_), m(m_), s(s_) {
    shards.assign(k + m, std::vector<uint8_t>(s));
    for (size_t i = 0; i < k; ++i)
      for (auto& b : shards[i])
        b = static_cast<uint8_t>(rng());
    for (auto& v : shards)
      ptrs.push_back(v.data());
  }
};

TEST(CauchyCodecTest, PropertyAnyKOfKPlusMRebuild) {
  const uint32_t seed = 1234567;
  std::mt19937 rng(seed);
  for (Isa isa : available_isas()) {
    CauchyCodec codec(isa);
    for (int iter = 0; iter < 150; ++iter) {
      size_t k = 1 + rng() % 120, m = 1 + rng() % 40, s = 1 + rng() % 1500;
      if (k + m > 255)
        continue;
      Block b(k, m, s, rng);
      ASSERT_TRUE(codec.encode(k, m, s, b.ptrs.data(), b.ptrs.data() + k).is_ok());
      auto original = b.shards;
      // Lose up to m random shards.
      std::vector<size_t> idx(k + m);
      std::iota(idx.begin(), idx.end(), 0);
      std::shuffle(idx.begin(), idx.end(), rng);
      size_t lose = rng() % (m + 1);
      std::vector<uint8_t> present(k + m, 1);
      for (size_t i = 0; i < lose; ++i) {
        present[idx[i]] = 0;
        std::fill(b.shards[idx[i]].begin(), b.shards[idx[i]].end(), 0xA5);
      }
      Status st = codec.decode(k, m, s, b.ptrs.data(), present);
      ASSERT_TRUE(st.is_ok()) << st.to_string() << " seed=" << seed << " iter=" << iter;
      for (size_t i = 0; i < k; ++i)
        ASSERT_EQ(b.shards[i], original[i])
            << isa_name(isa) << " k=" << k << " m=" << m << " s=" << s << " shard " << i
            << " seed=" << seed << " iter=" << iter;
    }
  }
}

TEST(CauchyCodecTest, TooFewShardsIsDataLoss) {
  std::mt19937 rng(1);
  CauchyCodec codec;
  Block b(10, 3, 100, rng);
  ASSERT_TRUE(codec.encode(10, 3, 100, b.ptrs.data(), b.ptrs.data() + 10).is_ok());
  std::vector<uint8_t> present(13, 1);
  present[0] = present[1] = present[2] = present[3] = 0;
  EXPECT_EQ(codec.decode(10, 3, 100, b.ptrs.data(), present).code(), StatusCode::kDataLoss);
}

TEST(CauchyCodecTest, BadArgumentsAreErrors) {
  CauchyCodec codec;
  std::vector<uint8_t> buf(64);
  uint8_t* p[256] = {};
  for (auto& x : p)
    x = buf.data();
  EXPECT_EQ(codec.encode(0, 2, 64, p, p).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(codec.encode(2, 0, 64, p, p).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(codec.encode(200, 56, 64, p, p).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(codec.encode(2, 2, 0, p, p).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(codec.encode(2, 2, 64, nullptr, p).code(), StatusCode::kInvalidArgument);
  std::vector<uint8_t> present(3, 1);  // too short for k + m = 4
  EXPECT_EQ(codec.decode(2, 2, 64, p, present).code(), StatusCode::kInvalidArgument);
}

// Hostile shapes: sizes that overflow k + m or a shard size past any datagram,
// null shards, masks of the wrong length, another shape for the audio matrix.
// Each is refused before a shard is touched.
TEST(CauchyCodecTest, HostileArgumentsAreRefusedNotCrashedOn) {
  CauchyCodec codec;
  std::vector<uint8_t> buf(64);
  uint8_t* p[256];
  for (auto& x : p)
    x = buf.data();
  constexpr size_t kMax = SIZE_MAX;
  for (auto [k, m] : {std::pair{kMax, size_t{2}},
                      {size_t{2}, kMax},
                      {kMax, kMax},
                      {kMax - 1, size_t{3}},
                      {size_t{256}, size_t{1}},
                      {size_t{1}, size_t{255}}}) {
    EXPECT_EQ(codec.encode(k, m, 64, p, p).code(), StatusCode::kInvalidArgument) << k << "," << m;
    std::vector<uint8_t> present(4, 1);
    EXPECT_EQ(codec.decode(k, m, 64, p, present).code(), StatusCode::kInvalidArgument);
  }
  for (size_t s : {kMax, kMax - 63, kMaxShardBytes + 1})
    EXPECT_EQ(codec.encode(2, 2, s, p, p).code(), StatusCode::kInvalidArgument) << s;

  // A null shard anywhere in the arrays.
  uint8_t* with_null[4] = {buf.data(), nullptr, buf.data(), buf.data()};
  EXPECT_EQ(codec.encode(2, 2, 64, with_null, p).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(codec.encode(2, 2, 64, p, with_null + 1).code(), StatusCode::kInvalidArgument);
  std::vector<uint8_t> lost0{0, 1, 1, 1};
  EXPECT_EQ(codec.decode(2, 2, 64, with_null, lost0).code(), StatusCode::kInvalidArgument)
      << "a present shard that is null";
  std::vector<uint8_t> lost1{1, 0, 1, 1};
  EXPECT_EQ(codec.decode(2, 2, 64, with_null, lost1).code(), StatusCode::kInvalidArgument)
      << "a lost data shard with nowhere to rebuild it";
  // A missing parity shard needs no buffer.
  ASSERT_TRUE(codec.encode(2, 2, 64, p, p + 2).is_ok());
  uint8_t* parity_null[4] = {buf.data(), buf.data(), buf.data(), nullptr};
  std::vector<uint8_t> parity_lost{1, 1, 1, 0};
  EXPECT_TRUE(codec.decode(2, 2, 64, parity_null, parity_lost).is_ok());

  // A mask longer than k + m is as wrong as a shorter one.
  std::vector<uint8_t> longer(5, 1);
  EXPECT_EQ(codec.decode(2, 2, 64, p, longer).code(), StatusCode::kInvalidArgument);

  CauchyCodec audio = CauchyCodec::moonlight_audio();
  EXPECT_TRUE(audio.encode(4, 2, 64, p, p + 4).is_ok());
  EXPECT_EQ(audio.encode(3, 2, 64, p, p + 3).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(audio.encode(4, 3, 64, p, p + 4).code(), StatusCode::kInvalidArgument);
  std::vector<uint8_t> present5(5, 1);
  EXPECT_EQ(audio.decode(4, 1, 64, p, present5).code(), StatusCode::kInvalidArgument);
}

TEST(CauchyCodecTest, MaxShapeRoundTrips) {
  std::mt19937 rng(99);
  CauchyCodec codec;
  const size_t k = 191, m = 64, s = 77;
  Block b(k, m, s, rng);
  ASSERT_TRUE(codec.encode(k, m, s, b.ptrs.data(), b.ptrs.data() + k).is_ok());
  auto original = b.shards;
  std::vector<uint8_t> present(k + m, 1);
  for (size_t i = 0; i < m; ++i)
    present[i * 2] = 0;  // lose 64 data shards
  ASSERT_TRUE(codec.decode(k, m, s, b.ptrs.data(), present).is_ok());
  for (size_t i = 0; i < k; ++i)
    ASSERT_EQ(b.shards[i], original[i]) << i;
}

}  // namespace
}  // namespace pf::fec
