// SPDX-License-Identifier: MIT OR Apache-2.0
#include "base/token_bucket.h"

#include <gtest/gtest.h>

namespace pf {
namespace {

TEST(TokenBucketTest, BurstThenRate) {
  TokenBucket b(1000, 10);  // 1000/s, 10 at once
  int64_t t = 1'000'000'000;
  int ok = 0;
  for (int i = 0; i < 50; ++i)
    ok += b.take(t);
  EXPECT_EQ(ok, 10);  // the burst
  t += 5'000'000;     // 5 ms: 5 more
  ok = 0;
  for (int i = 0; i < 50; ++i)
    ok += b.take(t);
  EXPECT_EQ(ok, 5);
  t += 1'000'000'000;  // a long pause refills only up to the burst
  ok = 0;
  for (int i = 0; i < 50; ++i)
    ok += b.take(t);
  EXPECT_EQ(ok, 10);
  EXPECT_FALSE(b.take(t - 1'000'000));  // time going backwards gives nothing
}

}  // namespace
}  // namespace pf
