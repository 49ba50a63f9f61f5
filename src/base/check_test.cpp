// SPDX-License-Identifier: MIT OR Apache-2.0
#include "base/check.h"

#include <gtest/gtest.h>

namespace {

TEST(CheckDeathTest, FailedCheckAbortsWithLocationAndMessage) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(PF_CHECK_MSG(1 + 1 == 3, "arithmetic broke"),
               "check_test.cpp:[0-9]+: CHECK failed: 1 \\+ 1 == 3: arithmetic broke");
  EXPECT_DEATH(PF_CHECK(false), "CHECK failed: false");
}

TEST(CheckTest, PassingCheckDoesNothing) {
  int evaluations = 0;
  PF_CHECK(++evaluations == 1);
  EXPECT_EQ(evaluations, 1);
}

#ifdef NDEBUG
TEST(CheckTest, DcheckIsCompiledOutInRelease) {
  int evaluations = 0;
  PF_DCHECK(++evaluations == 100);
  EXPECT_EQ(evaluations, 0);
}
#else
TEST(CheckDeathTest, DcheckAbortsInDebug) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(PF_DCHECK(false), "CHECK failed");
}
#endif

}  // namespace
