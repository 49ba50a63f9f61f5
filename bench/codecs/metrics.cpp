// SPDX-License-Identifier: MIT OR Apache-2.0
#include "metrics.h"

#include <algorithm>
#include <cmath>

namespace pf::bench {

double plane_psnr(const uint8_t* a,
                  int a_stride,
                  const uint8_t* b,
                  int b_stride,
                  int width,
                  int height) {
  uint64_t sse = 0;
  for (int y = 0; y < height; ++y) {
    const uint8_t* ra = a + static_cast<size_t>(y) * a_stride;
    const uint8_t* rb = b + static_cast<size_t>(y) * b_stride;
    for (int x = 0; x < width; ++x) {
      const int d = ra[x] - rb[x];
      sse += static_cast<uint64_t>(d * d);
    }
  }
  if (sse == 0 || width <= 0 || height <= 0)
    return kPsnrIdentical;
  const double mse = static_cast<double>(sse) / (static_cast<double>(width) * height);
  return std::min(kPsnrIdentical, 10.0 * std::log10(255.0 * 255.0 / mse));
}

double plane_ssim(const uint8_t* a,
                  int a_stride,
                  const uint8_t* b,
                  int b_stride,
                  int width,
                  int height) {
  constexpr int kWin = 8, kStep = 4;
  constexpr double c1 = (0.01 * 255) * (0.01 * 255), c2 = (0.03 * 255) * (0.03 * 255);
  double total = 0;
  int windows = 0;
  for (int y = 0; y + kWin <= height; y += kStep)
    for (int x = 0; x + kWin <= width; x += kStep) {
      uint32_t sa = 0, sb = 0;
      uint64_t saa = 0, sbb = 0, sab = 0;
      for (int j = 0; j < kWin; ++j) {
        const uint8_t* ra = a + static_cast<size_t>(y + j) * a_stride + x;
        const uint8_t* rb = b + static_cast<size_t>(y + j) * b_stride + x;
        for (int i = 0; i < kWin; ++i) {
          sa += ra[i];
          sb += rb[i];
          saa += ra[i] * ra[i];
          sbb += rb[i] * rb[i];
          sab += ra[i] * rb[i];
        }
      }
      constexpr double n = kWin * kWin;
      const double ma = sa / n, mb = sb / n;
      const double va = saa / n - ma * ma, vb = sbb / n - mb * mb, cov = sab / n - ma * mb;
      total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
      ++windows;
    }
  return windows > 0 ? total / windows : 1.0;
}

}  // namespace pf::bench
