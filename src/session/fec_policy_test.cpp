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
    EXPECT_EQ(k, i + 1 < blocks ? 23334u : 23332u);  // all but the last alike
    sum += k;
  }
  EXPECT_EQ(sum, total);
}

TEST(FecPolicyTest, TheDefaultBlockIsTheLargestWithinGf8) {
  EXPECT_EQ(gf8_block_limit(20), 212u);  // 212 + 43 = 255
  EXPECT_EQ(gf8_block_limit(5), 242u);   // 242 + 13 = 255
  EXPECT_EQ(gf8_block_limit(50), 170u);  // 170 + 85 = 255
  for (unsigned pct = 0; pct <= 255; ++pct) {
    const size_t k = gf8_block_limit(pct);
    EXPECT_FALSE(block_shape(k, pct).gf16) << pct;
    if (k > 1) {
      EXPECT_TRUE(block_shape(k + 1, pct).gf16) << pct;
    }
  }
}

TEST(FecPolicyTest, ABlockLimitCutsFramesIntoEqualBlocksAndARest) {
  // Every total and limit: as few blocks as the limit allows, all but the
  // last of one size within the limit, the last 1..k0, nothing lost.
  for (size_t total = 1; total < 700; total += 7) {
    for (size_t limit : {1u, 2u, 3u, 50u, 212u, 1000u}) {
      const size_t blocks = block_count(total, 20, limit);
      ASSERT_EQ(blocks, (total + limit - 1) / limit) << total << " " << limit;
      const size_t k0 = block_data_shards(total, blocks, 0);
      EXPECT_LE(k0, limit);
      size_t sum = 0;
      for (size_t i = 0; i < blocks; ++i) {
        const size_t k = block_data_shards(total, blocks, i);
        if (i + 1 < blocks) {
          EXPECT_EQ(k, k0);
        }
        EXPECT_GE(k, 1u);
        EXPECT_LE(k, k0);
        sum += k;
      }
      EXPECT_EQ(sum, total) << total << " " << limit;
    }
  }
}

}  // namespace
}  // namespace pf::session
