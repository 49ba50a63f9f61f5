// SPDX-License-Identifier: MIT OR Apache-2.0
#include "base/goertzel.h"

#include <gtest/gtest.h>

namespace pf {
namespace {

std::vector<float> tones(std::initializer_list<std::pair<double, double>> parts) {
  std::vector<float> s(48000);
  for (size_t i = 0; i < s.size(); ++i)
    for (const auto& [hz, amp] : parts)
      s[i] += static_cast<float>(amp * std::sin(2 * M_PI * hz * double(i) / 48000));
  return s;
}

TEST(Goertzel, FindsTheDominantToneAndSaysHowCleanItIs) {
  const auto pure = dominant_tone(tones({{660, 0.5}}));
  EXPECT_EQ(pure.hz, 660);
  EXPECT_GT(pure.purity, 1e4);
  // Another tone 20 dB down (a tenth of the amplitude) mixed in: still the
  // dominant one, but the purity says 100x (20 dB).
  const auto mixed = dominant_tone(tones({{660, 0.5}, {1000, 0.05}}));
  EXPECT_EQ(mixed.hz, 660);
  EXPECT_NEAR(mixed.purity, 100, 5);
  EXPECT_EQ(dominant_tone(tones({{440, 0.1}, {1000, 0.3}})).hz, 1000);
}

}  // namespace
}  // namespace pf
