// SPDX-License-Identifier: MIT OR Apache-2.0
#include "metrics.h"

#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace pf::bench {
namespace {

std::vector<uint8_t> ramp(int w, int h) {
  std::vector<uint8_t> p(static_cast<size_t>(w) * h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      p[static_cast<size_t>(y) * w + x] = static_cast<uint8_t>((x * 3 + y * 5) % 220 + 16);
  return p;
}

TEST(CodecMetricsTest, IdenticalPlanesAreIdentical) {
  const auto a = ramp(64, 48);
  EXPECT_EQ(plane_psnr(a.data(), 64, a.data(), 64, 64, 48), kPsnrIdentical);
  EXPECT_DOUBLE_EQ(plane_ssim(a.data(), 64, a.data(), 64, 64, 48), 1.0);
}

TEST(CodecMetricsTest, PsnrOfAKnownError) {
  // Every pixel off by 5: MSE 25, PSNR = 10 log10(255^2 / 25) = 34.15 dB.
  auto a = ramp(64, 48), b = a;
  for (auto& v : b)
    v = static_cast<uint8_t>(v + 5);
  EXPECT_NEAR(plane_psnr(a.data(), 64, b.data(), 64, 64, 48), 34.15, 0.01);
}

TEST(CodecMetricsTest, StridesAreHonoured) {
  // The same picture inside a wider buffer (padding of 255) compares as identical.
  const auto a = ramp(64, 48);
  std::vector<uint8_t> wide(static_cast<size_t>(80) * 48, 255);
  for (int y = 0; y < 48; ++y)
    std::copy_n(&a[static_cast<size_t>(y) * 64], 64, &wide[static_cast<size_t>(y) * 80]);
  EXPECT_EQ(plane_psnr(a.data(), 64, wide.data(), 80, 64, 48), kPsnrIdentical);
  EXPECT_DOUBLE_EQ(plane_ssim(a.data(), 64, wide.data(), 80, 64, 48), 1.0);
}

TEST(CodecMetricsTest, SsimFallsWithNoiseAndIgnoresABrightnessShiftMoreThanPsnr) {
  const auto a = ramp(128, 96);
  std::mt19937 rng(7);
  auto noisy = [&](int amplitude) {
    auto b = a;
    for (auto& v : b)
      v = static_cast<uint8_t>(std::clamp(
          static_cast<int>(v) + static_cast<int>(rng() % (2 * amplitude + 1)) - amplitude, 0, 255));
    return b;
  };
  const auto b4 = noisy(4), b16 = noisy(16);
  const double s4 = plane_ssim(a.data(), 128, b4.data(), 128, 128, 96);
  const double s16 = plane_ssim(a.data(), 128, b16.data(), 128, 128, 96);
  EXPECT_LT(s4, 1.0);
  EXPECT_LT(s16, s4);
  EXPECT_GT(s16, 0.0);
  // Structure kept, brightness shifted: SSIM stays high where PSNR drops.
  auto shifted = a;
  for (auto& v : shifted)
    v = static_cast<uint8_t>(v + 10);  // MSE 100: PSNR 28.1 dB
  EXPECT_GT(plane_ssim(a.data(), 128, shifted.data(), 128, 128, 96), s16);
  EXPECT_LT(plane_psnr(a.data(), 128, shifted.data(), 128, 128, 96), 30.0);
}

}  // namespace
}  // namespace pf::bench
