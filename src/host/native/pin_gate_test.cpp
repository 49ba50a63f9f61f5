// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/native/pin_gate.h"

#include <gtest/gtest.h>

namespace pf::host::native {
namespace {

constexpr int64_t kS = 1'000'000'000;

TEST(PinGateTest, APinIsSixDigitsAndGoodForOneAttempt) {
  uint32_t next = 4'294'500'000u;  // first draw is rejected (bias), then 42
  PinGate g([&] {
    const uint32_t v = next;
    next = 42;
    return v;
  });
  EXPECT_FALSE(g.take(0));
  EXPECT_EQ(g.open(0), "000042");
  EXPECT_EQ(*g.peek(kS), "000042");
  EXPECT_EQ(*g.take(kS), "000042");
  EXPECT_FALSE(g.take(2 * kS));  // burned
  EXPECT_FALSE(g.peek(2 * kS));
}

TEST(PinGateTest, APinExpiresAfterTwoMinutes) {
  PinGate g([] { return 123456u; });
  g.open(0);
  EXPECT_TRUE(g.peek(119 * kS));
  EXPECT_FALSE(g.take(120 * kS));
}

TEST(PinGateTest, FiveFailuresInAMinuteLockOutForAMinute) {
  PinGate g([] { return 1u; });
  for (int i = 0; i < 4; ++i)
    g.record_failure("10.0.0.2", i * kS);
  EXPECT_FALSE(g.locked_out("10.0.0.2", 5 * kS));
  g.record_failure("10.0.0.2", 5 * kS);
  EXPECT_TRUE(g.locked_out("10.0.0.2", 6 * kS));
  EXPECT_FALSE(g.locked_out("10.0.0.3", 6 * kS));
  EXPECT_FALSE(g.locked_out("10.0.0.2", 66 * kS));
  // Failures spread over more than a minute do not lock out.
  PinGate slow([] { return 1u; });
  for (int i = 0; i < 10; ++i)
    slow.record_failure("x", i * 20 * kS);
  EXPECT_FALSE(slow.locked_out("x", 200 * kS));
}

// A neighbour who keeps trying PINs in a loop (each attempt spends the user's PIN) is locked out
// for twice as long each time it comes back within a day: 1, 2, 4 ... 64 minutes.
TEST(PinGateTest, AnAddressThatKeepsFailingIsLockedOutLongerEachTime) {
  constexpr int64_t kMin = 60 * kS;
  PinGate g([] { return 1u; });
  int64_t t = 0;
  auto fail_five = [&] {
    for (int i = 0; i < 5; ++i)
      g.record_failure("10.0.0.66", t);
  };
  for (int64_t want_min : {1, 2, 4, 8, 16, 32, 64, 64}) {
    fail_five();
    EXPECT_TRUE(g.locked_out("10.0.0.66", t + want_min * kMin - kS)) << want_min;
    EXPECT_FALSE(g.locked_out("10.0.0.66", t + want_min * kMin)) << want_min;
    t += want_min * kMin;
  }
  EXPECT_FALSE(g.locked_out("10.0.0.67", t));  // only that address
  // A day without a lockout forgives: a minute again.
  t += 24 * 60 * kMin;
  fail_five();
  EXPECT_TRUE(g.locked_out("10.0.0.66", t + kMin - kS));
  EXPECT_FALSE(g.locked_out("10.0.0.66", t + kMin));
}

}  // namespace
}  // namespace pf::host::native
