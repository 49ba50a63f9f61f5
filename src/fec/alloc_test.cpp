// SPDX-License-Identifier: MIT OR Apache-2.0
// Steady-state encode and decode must not touch the heap. This binary replaces
// the global operator new with a counting one, so it is its own test program.
#include <atomic>
#include <cstdlib>
#include <new>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "fec/cauchy_codec.h"
#include "fec/leopard_codec.h"

// GCC cannot see that these replacements pair malloc with free.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace {
std::atomic<long> g_allocations{0};
}

void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1))
    return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

namespace pf::fec {
namespace {

struct Block {
  std::vector<std::vector<uint8_t>> shards;
  std::vector<uint8_t*> ptrs;
  Block(size_t n, size_t s) : shards(n, std::vector<uint8_t>(s, 7)) {
    for (auto& v : shards)
      ptrs.push_back(v.data());
  }
};

// Runs `blocks` encode+decode rounds with fresh random erasure patterns (at most
// m losses) after one warm-up round at the maximum loss, and returns how many
// allocations the measured rounds made.
template <typename Codec>
long steady_state_allocations(Codec& codec, size_t k, size_t m, size_t s, int blocks) {
  Block b(k + m, s);
  std::mt19937 rng(31337);
  std::vector<uint8_t> present(k + m, 1);
  auto round = [&](size_t lose) {
    std::fill(present.begin(), present.end(), 1);
    for (size_t i = 0; i < lose; ++i)
      present[i] = 0;  // worst case first
    EXPECT_TRUE(codec.encode(k, m, s, b.ptrs.data(), b.ptrs.data() + k).is_ok());
    EXPECT_TRUE(codec.decode(k, m, s, b.ptrs.data(), present).is_ok());
  };
  round(m);
  const long before = g_allocations.load();
  for (int i = 0; i < blocks; ++i) {
    std::fill(present.begin(), present.end(), 1);
    for (size_t lost = 0, want = rng() % (m + 1); lost < want;) {
      size_t idx = rng() % (k + m);
      if (present[idx]) {
        present[idx] = 0;
        ++lost;
      }
    }
    EXPECT_TRUE(codec.encode(k, m, s, b.ptrs.data(), b.ptrs.data() + k).is_ok());
    EXPECT_TRUE(codec.decode(k, m, s, b.ptrs.data(), present).is_ok());
  }
  return g_allocations.load() - before;
}

TEST(FecAllocationTest, CauchySteadyStateAllocatesNothing) {
  CauchyCodec codec;
  EXPECT_EQ(steady_state_allocations(codec, 100, 30, 1408, 200), 0);
}

TEST(FecAllocationTest, LeopardSteadyStateAllocatesNothing) {
  LeopardCodec codec;
  EXPECT_EQ(steady_state_allocations(codec, 1000, 200, 1408, 20), 0);
}

TEST(FecAllocationTest, CounterWorks) {
  const long before = g_allocations.load();
  auto* v = new std::vector<int>(100);
  delete v;
  EXPECT_GE(g_allocations.load() - before, 2);
}

}  // namespace
}  // namespace pf::fec
