// SPDX-License-Identifier: MIT OR Apache-2.0
// Scalar reference GF(2^16) kernels and the dispatcher.
#include "fec/gf16_kernels.h"

#include "fec/gf65536.h"

namespace pf::fec::gf16 {
namespace {

using gf65536::kModulus;

inline uint16_t sym(const uint8_t* block, int i) {
  return static_cast<uint16_t>(block[i] | (block[32 + i] << 8));
}
inline void put(uint8_t* block, int i, uint16_t v) {
  block[i] = static_cast<uint8_t>(v);
  block[32 + i] = static_cast<uint8_t>(v >> 8);
}

void s_xor(uint8_t* x, const uint8_t* y, size_t bytes) {
  for (size_t i = 0; i < bytes; ++i)
    x[i] ^= y[i];
}

void s_xor_many(uint8_t* x, const uint8_t* const* ys, size_t count, size_t bytes) {
  for (size_t c = 0; c < count; ++c)
    s_xor(x, ys[c], bytes);
}

void s_mul(uint8_t* x, const uint8_t* y, Coef c, size_t bytes) {
  for (size_t off = 0; off < bytes; off += 64)
    for (int i = 0; i < 32; ++i)
      put(x + off, i, gf65536::mul_log(sym(y + off, i), c.log));
}

void s_muladd(uint8_t* x, const uint8_t* y, Coef c, size_t bytes) {
  for (size_t off = 0; off < bytes; off += 64)
    for (int i = 0; i < 32; ++i)
      put(x + off, i, sym(x + off, i) ^ gf65536::mul_log(sym(y + off, i), c.log));
}

void s_fft2(uint8_t* x, uint8_t* y, Coef c, size_t bytes) {
  if (c.log != kModulus)
    s_muladd(x, y, c, bytes);
  s_xor(y, x, bytes);
}

void s_ifft2(uint8_t* x, uint8_t* y, Coef c, size_t bytes) {
  s_xor(y, x, bytes);
  if (c.log != kModulus)
    s_muladd(x, y, c, bytes);
}

void s_fft4(uint8_t* w0,
            uint8_t* w1,
            uint8_t* w2,
            uint8_t* w3,
            Coef c01,
            Coef c23,
            Coef c02,
            size_t bytes) {
  s_fft2(w0, w2, c02, bytes);
  s_fft2(w1, w3, c02, bytes);
  s_fft2(w0, w1, c01, bytes);
  s_fft2(w2, w3, c23, bytes);
}

void s_ifft4(uint8_t* w0,
             uint8_t* w1,
             uint8_t* w2,
             uint8_t* w3,
             Coef c01,
             Coef c23,
             Coef c02,
             size_t bytes) {
  s_ifft2(w0, w1, c01, bytes);
  s_ifft2(w2, w3, c23, bytes);
  s_ifft2(w0, w2, c02, bytes);
  s_ifft2(w1, w3, c02, bytes);
}

Coef s_coef(uint16_t log) {
  return Coef{log, nullptr};
}

}  // namespace

// The per-ISA files take their multipliers from here, so that no inline code of
// the field tables is ever compiled with their instruction-set flags.
namespace detail {
Coef affine_coef(uint16_t log) {
  static const uint64_t* table = gf65536::affine_tables();
  return Coef{log, table + size_t{log} * 4};
}
Coef nibble_coef(uint16_t log) {
  static const uint8_t* table = gf65536::nibble_tables();
  return Coef{log, table + size_t{log} * 128};
}
}  // namespace detail

const Kernel kScalarKernel{Isa::kScalar, s_coef,  s_xor,  s_xor_many, s_mul,
                           s_fft2,       s_ifft2, s_fft4, s_ifft4};

const Kernel& kernel(Isa isa) {
  if (isa == Isa::kGfni)
    return kGfniKernel;
  if (isa == Isa::kAvx2 || isa == Isa::kAvx512)
    return kAvx2Kernel;
  return kScalarKernel;
}

}  // namespace pf::fec::gf16
