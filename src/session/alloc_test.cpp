// SPDX-License-Identifier: MIT OR Apache-2.0
// The packetizer must not allocate per frame once warm. This binary replaces
// the global operator new with a counting one, so it is its own test program.
#include <atomic>
#include <cstdlib>
#include <new>
#include <vector>

#include <gtest/gtest.h>

#include "session/packetizer.h"

#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

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

namespace pf::session {
namespace {

TEST(SessionAllocationTest, PacketizerSteadyStateAllocatesNothing) {
  PacketizerConfig cfg;
  cfg.key.assign(16, 1);
  auto pz = Packetizer::create(cfg);
  ASSERT_TRUE(pz);
  // Mixed frame sizes, GF(2^8) and GF(2^16) blocks; warm up on the largest.
  const std::vector<size_t> sizes = {300'000, 1'000, 60'000, 5'000, 250'000, 20};
  std::vector<uint8_t> frame(300'000, 7);
  uint32_t index = 1;
  for (size_t sz : sizes)
    ASSERT_TRUE((*pz)->packetize({std::span(frame).first(sz), index++, 0, false}));
  const long before = g_allocations.load();
  for (int round = 0; round < 50; ++round)
    for (size_t sz : sizes)
      ASSERT_TRUE((*pz)->packetize({std::span(frame).first(sz), index++, 0, false}));
  EXPECT_EQ(g_allocations.load() - before, 0);
}

}  // namespace
}  // namespace pf::session
