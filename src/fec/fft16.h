// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>

#include "fec/gf16_kernels.h"

// The additive (LCH) FFT and its inverse over shard buffers, as Leopard-RS
// defines them, evaluated depth-first so that the working set of the lower
// layers fits in the CPU caches: sub-transforms above kBlockBytes recurse into
// quarters and do their two top layers as one fused radix-4 pass.
namespace pf::fec::fft16 {

// Which positions of a transform hold non-zero inputs (IFFT) or are wanted as
// outputs (FFT): `prefix[p]` counts such positions below p. A sub-range with a
// count of zero is skipped. nullptr means "all positions".
struct Mask {
  const uint32_t* prefix = nullptr;
  bool any(size_t begin, size_t end) const {
    return prefix == nullptr || prefix[end] != prefix[begin];
  }
};

inline constexpr size_t kBlockBytes = 512 * 1024;

// Inverse FFT of w[0..n) whose evaluation points start at `offset`; positions
// at or past `truncated` must be zero, and so must those `nonzero` excludes.
void ifft(const gf16::Kernel& k,
          uint8_t** w,
          size_t n,
          size_t truncated,
          size_t offset,
          Mask nonzero,
          size_t bytes);

// Forward FFT of w[0..n) at offset 0; only outputs below `truncated` and in
// `wanted` are guaranteed.
void fft(const gf16::Kernel& k, uint8_t** w, size_t n, size_t truncated, Mask wanted, size_t bytes);

}  // namespace pf::fec::fft16
