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

}  // namespace
}  // namespace pf::host::native
