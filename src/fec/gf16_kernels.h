// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>

#include "fec/isa.h"

// GF(2^16) region kernels over Leopard's memory layout: every 64-byte block
// holds 32 symbols, bytes 0..31 their low bytes and 32..63 their high bytes.
// All byte counts are multiples of 64.
namespace pf::fec::gf16 {

// A multiplier: its log (kModulus = 65535 means 0 inside butterflies) and the
// kernel's precomputed form of it (GFNI matrices or vpshufb tables), or null.
struct Coef {
  uint16_t log;
  const void* prepared;
};

struct Kernel {
  Isa isa;
  // Makes a multiplier in this kernel's form (a table lookup, no computation).
  Coef (*coef)(uint16_t log);
  // x ^= y
  void (*xor_region)(uint8_t* x, const uint8_t* y, size_t bytes);
  // x ^= ys[0] ^ ys[1] ^ ... ^ ys[count - 1]
  void (*xor_many)(uint8_t* x, const uint8_t* const* ys, size_t count, size_t bytes);
  // x = y * exp(c.log)   (a plain multiply: log 65535 means exp(0) = 1 here)
  void (*mul)(uint8_t* x, const uint8_t* y, Coef c, size_t bytes);
  // FFT butterfly: x ^= y * c (skipped for log 65535); y ^= x
  void (*fft2)(uint8_t* x, uint8_t* y, Coef c, size_t bytes);
  // IFFT butterfly: y ^= x; x ^= y * c (skipped for log 65535)
  void (*ifft2)(uint8_t* x, uint8_t* y, Coef c, size_t bytes);
  // Two fused FFT layers on w0..w3: (0,2),(1,3) by c02, then (0,1) by c01, (2,3) by c23.
  void (*fft4)(uint8_t* w0,
               uint8_t* w1,
               uint8_t* w2,
               uint8_t* w3,
               Coef c01,
               Coef c23,
               Coef c02,
               size_t bytes);
  // Two fused IFFT layers: (0,1) by c01, (2,3) by c23, then (0,2),(1,3) by c02.
  void (*ifft4)(uint8_t* w0,
                uint8_t* w1,
                uint8_t* w2,
                uint8_t* w3,
                Coef c01,
                Coef c23,
                Coef c02,
                size_t bytes);
};

// The best GF(2^16) kernel at or below `isa`: GFNI, else AVX2 (also used at the
// AVX-512BW level), else scalar.
const Kernel& kernel(Isa isa);

namespace detail {
Coef affine_coef(uint16_t log);  // GFNI matrices
Coef nibble_coef(uint16_t log);  // vpshufb tables
}  // namespace detail

extern const Kernel kScalarKernel;
extern const Kernel kAvx2Kernel;
extern const Kernel kGfniKernel;

}  // namespace pf::fec::gf16
