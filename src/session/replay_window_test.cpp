// SPDX-License-Identifier: MIT OR Apache-2.0
#include "session/replay_window.h"

#include <random>
#include <set>

#include <gtest/gtest.h>

namespace pf::session {
namespace {

using V = ReplayWindow::Verdict;

TEST(ReplayWindowTest, AcceptsOnceRejectsRepeatsAndOld) {
  ReplayWindow w;
  EXPECT_EQ(w.accept(0), V::kNew);
  EXPECT_EQ(w.accept(0), V::kDuplicate);
  EXPECT_EQ(w.accept(5), V::kNew);
  EXPECT_EQ(w.accept(3), V::kNew);  // late but inside the window
  EXPECT_EQ(w.accept(3), V::kDuplicate);
  EXPECT_EQ(w.accept(200000), V::kNew);
  EXPECT_EQ(w.check(200000 - ReplayWindow::kSize), V::kTooOld);
  EXPECT_EQ(w.check(200000 - ReplayWindow::kSize + 1), V::kNew);
  EXPECT_EQ(w.accept(5), V::kTooOld);
}

TEST(ReplayWindowTest, CheckDoesNotMarkSoForgeriesCannotBlockRealPackets) {
  ReplayWindow w;
  EXPECT_EQ(w.check(10), V::kNew);
  EXPECT_EQ(w.check(10), V::kNew);
  EXPECT_EQ(w.accept(10), V::kNew);
}

// Against a model (a set) over random, reordered, duplicated packet numbers,
// including big jumps that slide the window past stale bits.
TEST(ReplayWindowTest, MatchesModel) {
  const uint32_t seed = 99;
  std::mt19937_64 rng(seed);
  ReplayWindow w;
  std::set<uint64_t> seen;
  uint64_t newest = 0;
  bool any = false;
  for (int i = 0; i < 200000; ++i) {
    uint64_t pn;
    switch (rng() % 10) {
      case 0:
        pn = newest + rng() % 300000;
        break;  // jump ahead
      case 1:
        pn = newest > 140000 ? newest - 131000 - rng() % 2000 : 0;
        break;  // edge
      default:
        pn = newest + 50 - rng() % 2000;
        break;  // near, reordered
    }
    if (pn > (uint64_t{1} << 62))
      pn = 0;
    V want;
    if (!any || pn > newest)
      want = V::kNew;
    else if (newest - pn >= ReplayWindow::kSize)
      want = V::kTooOld;
    else
      want = seen.count(pn) ? V::kDuplicate : V::kNew;
    ASSERT_EQ(w.accept(pn), want) << "pn " << pn << " newest " << newest << " seed " << seed;
    if (want == V::kNew) {
      seen.insert(pn);
      if (!any || pn > newest)
        newest = pn;
      any = true;
    }
  }
}

}  // namespace
}  // namespace pf::session
