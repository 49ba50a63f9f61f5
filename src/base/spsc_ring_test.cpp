// SPDX-License-Identifier: MIT OR Apache-2.0
#include "base/spsc_ring.h"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace pf {
namespace {

TEST(SpscRingTest, FillsDrainsAndWrapsInOrder) {
  SpscRing<int> ring(3);
  EXPECT_EQ(ring.peek(), nullptr);
  int next_in = 0, next_out = 0;
  for (int round = 0; round < 5; ++round) {
    while (int* slot = ring.claim()) {
      *slot = next_in++;
      ring.publish();
    }
    EXPECT_EQ(ring.size(), 3u);  // full: claim refused the fourth
    for (int k = 0; k < 2; ++k) {
      ASSERT_NE(ring.peek(), nullptr);
      EXPECT_EQ(*ring.peek(), next_out++);
      ring.pop();
    }
  }
  while (int* v = ring.peek()) {
    EXPECT_EQ(*v, next_out++);
    ring.pop();
  }
  EXPECT_EQ(next_out, next_in);
  EXPECT_EQ(ring.size(), 0u);
}

TEST(SpscRingTest, SlotsAreReusedInPlace) {
  SpscRing<std::vector<int>> ring(2);
  std::vector<int>* first = ring.claim();
  first->assign(1000, 7);
  const int* storage = first->data();
  ring.publish();
  ring.pop();
  ring.claim()->assign(10, 1);
  ring.publish();
  ring.pop();
  std::vector<int>* again = ring.claim();
  EXPECT_EQ(again, first);            // the same slot comes round again ...
  EXPECT_EQ(again->data(), storage);  // ... with its buffer, not a new one
}

TEST(SpscRingTest, TwoThreadsSeeEveryValueOnceInOrder) {
  SpscRing<uint64_t> ring(4);
  constexpr uint64_t kCount = 20'000;
  std::thread producer([&] {
    for (uint64_t i = 0; i < kCount;) {
      if (uint64_t* slot = ring.claim()) {
        *slot = i++;
        ring.publish();
      } else {
        std::this_thread::yield();
      }
    }
  });
  uint64_t expected = 0;
  while (expected < kCount) {
    if (uint64_t* v = ring.peek()) {
      ASSERT_EQ(*v, expected);
      ++expected;
      ring.pop();
    } else {
      std::this_thread::yield();
    }
  }
  producer.join();
  EXPECT_EQ(ring.peek(), nullptr);
}

}  // namespace
}  // namespace pf
