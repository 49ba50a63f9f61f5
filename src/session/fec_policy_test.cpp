// SPDX-License-Identifier: MIT OR Apache-2.0
#include "session/fec_policy.h"

#include <gtest/gtest.h>

namespace pf::session {
namespace {

TEST(FecPolicyTest, ParityFollowsTheSpec) {
  EXPECT_EQ(parity_for(1, 20), 2u);  // at least 2
  EXPECT_EQ(parity_for(10, 20), 2u);
  EXPECT_EQ(parity_for(11, 20), 3u);  // ceil(2.2)
  EXPECT_EQ(parity_for(1000, 20), 200u);
  EXPECT_EQ(parity_for(1000, 5), 50u);
  EXPECT_EQ(parity_for(100, 0), 2u);
}

TEST(FecPolicyTest, FieldSwitchesAbove255Shards) {
  EXPECT_FALSE(block_shape(212, 20).gf16);  // 212 + 43 = 255
  EXPECT_TRUE(block_shape(213, 20).gf16);   // 213 + 43 = 256
  EXPECT_EQ(block_shape(32768, 50).m, 16384);
}

TEST(FecPolicyTest, BlocksRespectGf16Limits) {
  EXPECT_EQ(max_data_shards(20), 32768u);
  EXPECT_EQ(max_data_shards(100), 32768u);  // 32768 + 32768 = 65536
  for (unsigned pct : {101u, 150u, 255u}) {
    const size_t k = max_data_shards(pct);
    EXPECT_LT(k, 32768u);
    size_t p = 1;
    while (p < parity_for(k, pct))
      p <<= 1;
    EXPECT_LE(p + k, 65536u) << pct;
  }
}

TEST(FecPolicyTest, FramesSplitEvenly) {
  EXPECT_EQ(data_shards_for(0, 1408), 1u);
  EXPECT_EQ(data_shards_for(1404, 1408), 1u);
  EXPECT_EQ(data_shards_for(1405, 1408), 2u);
  const size_t total = 70000;
  const size_t blocks = block_count(total, 20);
  EXPECT_EQ(blocks, 3u);
  size_t sum = 0;
  for (size_t i = 0; i < blocks; ++i) {
    const size_t k = block_data_shards(total, blocks, i);
    EXPECT_LE(k, 32768u);
    EXPECT_GE(k, total / blocks);
    sum += k;
  }
  EXPECT_EQ(sum, total);
}

}  // namespace
}  // namespace pf::session
