// SPDX-License-Identifier: MIT OR Apache-2.0
#include "fec/leopard_codec.h"
#include "fec/erasures.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace pf::fec {
namespace {

struct Block {
  std::vector<std::vector<uint8_t>> shards;
  std::vector<uint8_t*> ptrs;
  Block(size_t k, size_t m, size_t s, std::mt19937& rng) {
    shards.assign(k + m, std::vector<uint8_t>(s));
    for (size_t i = 0; i < k; ++i)
      for (auto& b : shards[i])
        b = static_cast<uint8_t>(rng());
    for (auto& v : shards)
      ptrs.push_back(v.data());
  }
};

void round_trip(LeopardCodec& codec,
                size_t k,
                size_t m,
                size_t s,
                std::mt19937& rng,
                uint32_t seed,
                int iter) {
  Block b(k, m, s, rng);
  Status st = codec.encode(k, m, s, b.ptrs.data(), b.ptrs.data() + k);
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  auto original = b.shards;
  std::vector<size_t> idx(k + m);
  std::iota(idx.begin(), idx.end(), 0);
  std::shuffle(idx.begin(), idx.end(), rng);
  const size_t lose = iter % 3 == 0 ? m : rng() % (m + 1);  // often the worst case
  std::vector<uint8_t> present(k + m, 1);
  for (size_t i = 0; i < lose; ++i) {
    present[idx[i]] = 0;
    std::fill(b.shards[idx[i]].begin(), b.shards[idx[i]].end(), 0xC3);
  }
  st = codec.decode(k, m, s, b.ptrs.data(), present);
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  for (size_t i = 0; i < k; ++i)
    ASSERT_EQ(b.shards[i], original[i])
        << isa_name(codec.isa()) << " k=" << k << " m=" << m << " s=" << s << " lost=" << lose
        << " shard " << i << " seed=" << seed << " iter=" << iter;
}

TEST(LeopardCodecTest, PropertyAnyKOfKPlusMRebuild) {
  const uint32_t seed = 8675309;
  std::mt19937 rng(seed);
  for (Isa isa : available_isas()) {
    LeopardCodec codec(isa);
    for (int iter = 0; iter < 40; ++iter) {
      const size_t k = 1 + rng() % 600, m = 1 + rng() % 150, s = 64 * (1 + rng() % 4);
      round_trip(codec, k, m, s, rng, seed, iter);
    }
  }
}

TEST(LeopardCodecTest, LargeBlocksRoundTrip) {
  const uint32_t seed = 42;
  std::mt19937 rng(seed);
  LeopardCodec codec;
  round_trip(codec, 4000, 800, 64, rng, seed, 0);
  round_trip(codec, 16000, 3200, 64, rng, seed, 3);
  round_trip(codec, 32000, 6400, 64, rng, seed, 6);
}

TEST(LeopardCodecTest, MoreParityThanDataWorks) {
  const uint32_t seed = 9;
  std::mt19937 rng(seed);
  LeopardCodec codec;
  round_trip(codec, 1, 2, 64, rng, seed, 0);
  round_trip(codec, 3, 17, 128, rng, seed, 3);
}

TEST(LeopardCodecTest, BadArgumentsAreErrors) {
  LeopardCodec codec;
  std::vector<uint8_t> buf(128);
  uint8_t* p[8];
  for (auto& x : p)
    x = buf.data();
  EXPECT_EQ(codec.encode(0, 2, 64, p, p).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(codec.encode(2, 0, 64, p, p).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(codec.encode(2, 2, 100, p, p).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(codec.encode(2, 2, 0, p, p).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(codec.encode(60000, 8000, 64, p, p).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(codec.encode(2, 2, 64, nullptr, p).code(), StatusCode::kInvalidArgument);
  std::vector<uint8_t> present{0, 0, 1, 1};
  EXPECT_EQ(codec.decode(4, 2, 64, p, present).code(), StatusCode::kInvalidArgument);
  std::vector<uint8_t> present6{0, 0, 0, 1, 1, 1};
  EXPECT_EQ(codec.decode(4, 2, 64, p, present6).code(), StatusCode::kDataLoss);
}

TEST(LeopardCodecTest, HostileArgumentsAreRefusedNotCrashedOn) {
  LeopardCodec codec;
  std::vector<uint8_t> buf(128);
  uint8_t* p[8];
  for (auto& x : p)
    x = buf.data();
  constexpr size_t kMax = SIZE_MAX;
  // Sizes whose sums or products overflow, or ask for more than any frame.
  for (auto [k, m] : {std::pair{kMax, size_t{2}},
                      {size_t{2}, kMax},
                      {kMax, kMax},
                      {kMax - 3, size_t{4}},
                      {size_t{65536}, size_t{1}},
                      {size_t{1}, size_t{65536}}})
    EXPECT_EQ(codec.encode(k, m, 64, p, p).code(), StatusCode::kInvalidArgument) << k << "," << m;
  for (size_t s : {kMax - 63, kMaxShardBytes + 64, size_t{1} << 63})
    EXPECT_EQ(codec.encode(2, 2, s, p, p).code(), StatusCode::kInvalidArgument) << s;
  // Legal dimensions, but 64 Gi of work memory.
  EXPECT_EQ(codec.encode(60000, 4096, kMaxShardBytes, p, p).code(), StatusCode::kInvalidArgument);
  std::vector<uint8_t> present(4, 1);
  EXPECT_EQ(codec.decode(kMax, 2, 64, p, present).code(), StatusCode::kInvalidArgument);

  uint8_t* with_null[4] = {buf.data(), nullptr, buf.data(), buf.data()};
  EXPECT_EQ(codec.encode(2, 2, 64, with_null, p).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(codec.encode(2, 2, 64, p, with_null + 1).code(), StatusCode::kInvalidArgument);
  std::vector<uint8_t> lost0{0, 1, 1, 1};
  EXPECT_EQ(codec.decode(2, 2, 64, with_null, lost0).code(), StatusCode::kInvalidArgument);
  std::vector<uint8_t> lost1{1, 0, 1, 1};
  EXPECT_EQ(codec.decode(2, 2, 64, with_null, lost1).code(), StatusCode::kInvalidArgument);
  std::vector<uint8_t> longer(5, 1);
  EXPECT_EQ(codec.decode(2, 2, 64, p, longer).code(), StatusCode::kInvalidArgument);

  // A lost parity shard needs no buffer; the data comes back.
  std::vector<uint8_t> a(64, 0x11), b(64, 0x22), pa(64), pb(64);
  uint8_t* data[2] = {a.data(), b.data()};
  uint8_t* parity[2] = {pa.data(), pb.data()};
  ASSERT_TRUE(codec.encode(2, 2, 64, data, parity).is_ok());
  std::fill(a.begin(), a.end(), 0);
  uint8_t* shards[4] = {a.data(), b.data(), pa.data(), nullptr};
  std::vector<uint8_t> mask{0, 1, 1, 0};
  ASSERT_TRUE(codec.decode(2, 2, 64, shards, mask).is_ok());
  EXPECT_EQ(a, std::vector<uint8_t>(64, 0x11));
}

TEST(LeopardCodecTest, WorkSizesAreReported) {
  EXPECT_EQ(LeopardCodec::encode_work_bytes(1000, 200, 1408), 2 * 256 * 1408u);
  EXPECT_EQ(LeopardCodec::decode_work_bytes(1000, 200, 1408), 2048 * 1408u);
}

}  // namespace
}  // namespace pf::fec
