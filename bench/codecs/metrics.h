// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>

// Picture quality of a decoded plane against its source, for the codec
// benchmark: PSNR (dB, 8-bit peak 255; identical planes give kPsnrIdentical)
// and SSIM (Wang et al. 2004 with the usual C1 = (0.01*255)^2,
// C2 = (0.03*255)^2, over 8x8 windows stepped by 4 pixels, unweighted; 1 for
// identical planes). Free functions, no state.
namespace pf::bench {

inline constexpr double kPsnrIdentical = 100.0;

double plane_psnr(const uint8_t* a,
                  int a_stride,
                  const uint8_t* b,
                  int b_stride,
                  int width,
                  int height);
double plane_ssim(const uint8_t* a,
                  int a_stride,
                  const uint8_t* b,
                  int b_stride,
                  int width,
                  int height);

}  // namespace pf::bench
