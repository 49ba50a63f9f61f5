// SPDX-License-Identifier: MIT OR Apache-2.0
// AVX-512 + GFNI GF(2^16) kernels. A 16x16 bit multiply splits into four 8x8
// blocks; with one 64-byte block in a zmm ([32 low bytes | 32 high bytes]) and
// its halves swapped in another, one product is two vgf2p8affineqb whose
// per-qword matrices pick the right block for each half. Compiled with
// -mavx512f -mavx512bw -mgfni; internal linkage only.
// GCC 12's own AVX-512 headers trip -W(maybe-)uninitialized (_mm512_undefined_*).
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "fec/gf16_kernels.h"

namespace pf::fec::gf16 {
namespace {

constexpr uint16_t kModulus = 65535;

struct Mats {
  __m512i same;  // lower half lo->lo, upper half hi->hi
  __m512i swap;  // applied to the half-swapped input: hi->lo, lo->hi
};

inline Mats mats(const Coef& c) {
  const uint64_t* a = static_cast<const uint64_t*>(c.prepared);
  Mats m;
  m.same = _mm512_inserti64x4(_mm512_set1_epi64(static_cast<long long>(a[0])),
                              _mm256_set1_epi64x(static_cast<long long>(a[3])), 1);
  m.swap = _mm512_inserti64x4(_mm512_set1_epi64(static_cast<long long>(a[1])),
                              _mm256_set1_epi64x(static_cast<long long>(a[2])), 1);
  return m;
}

inline __m512i mul(__m512i v, const Mats& m) {
  const __m512i s = _mm512_shuffle_i64x2(v, v, 0x4E);
  return _mm512_xor_si512(_mm512_gf2p8affine_epi64_epi8(v, m.same, 0),
                          _mm512_gf2p8affine_epi64_epi8(s, m.swap, 0));
}

inline __m512i load(const uint8_t* p) {
  return _mm512_loadu_si512(p);
}
inline void store(uint8_t* p, __m512i v) {
  _mm512_storeu_si512(p, v);
}

void g_xor(uint8_t* x, const uint8_t* y, size_t bytes) {
  for (size_t off = 0; off < bytes; off += 64)
    store(x + off, _mm512_xor_si512(load(x + off), load(y + off)));
}

void g_xor_many(uint8_t* x, const uint8_t* const* ys, size_t count, size_t bytes) {
  for (size_t off = 0; off < bytes; off += 64) {
    __m512i acc = load(x + off);
    size_t c = 0;
    for (; c + 2 <= count; c += 2)
      acc = _mm512_ternarylogic_epi64(acc, load(ys[c] + off), load(ys[c + 1] + off), 0x96);
    if (c < count)
      acc = _mm512_xor_si512(acc, load(ys[c] + off));
    store(x + off, acc);
  }
}

void g_mul(uint8_t* x, const uint8_t* y, Coef c, size_t bytes) {
  const Mats m = mats(c);
  for (size_t off = 0; off < bytes; off += 64)
    store(x + off, mul(load(y + off), m));
}

void g_fft2(uint8_t* x, uint8_t* y, Coef c, size_t bytes) {
  if (c.log == kModulus) {
    g_xor(y, x, bytes);
    return;
  }
  const Mats m = mats(c);
  for (size_t off = 0; off < bytes; off += 64) {
    __m512i vx = load(x + off), vy = load(y + off);
    vx = _mm512_xor_si512(vx, mul(vy, m));
    vy = _mm512_xor_si512(vy, vx);
    store(x + off, vx);
    store(y + off, vy);
  }
}

void g_ifft2(uint8_t* x, uint8_t* y, Coef c, size_t bytes) {
  if (c.log == kModulus) {
    g_xor(y, x, bytes);
    return;
  }
  const Mats m = mats(c);
  for (size_t off = 0; off < bytes; off += 64) {
    __m512i vx = load(x + off), vy = load(y + off);
    vy = _mm512_xor_si512(vy, vx);
    vx = _mm512_xor_si512(vx, mul(vy, m));
    store(x + off, vx);
    store(y + off, vy);
  }
}

// Butterflies on registers; `skip` = the multiplier is zero.
inline void fft_b(__m512i& x, __m512i& y, const Mats& m, bool skip) {
  if (!skip)
    x = _mm512_xor_si512(x, mul(y, m));
  y = _mm512_xor_si512(y, x);
}
inline void ifft_b(__m512i& x, __m512i& y, const Mats& m, bool skip) {
  y = _mm512_xor_si512(y, x);
  if (!skip)
    x = _mm512_xor_si512(x, mul(y, m));
}

void g_fft4(uint8_t* w0,
            uint8_t* w1,
            uint8_t* w2,
            uint8_t* w3,
            Coef c01,
            Coef c23,
            Coef c02,
            size_t bytes) {
  const Mats m01 = mats(c01), m23 = mats(c23), m02 = mats(c02);
  const bool s01 = c01.log == kModulus, s23 = c23.log == kModulus, s02 = c02.log == kModulus;
  for (size_t off = 0; off < bytes; off += 64) {
    __m512i a = load(w0 + off), b = load(w1 + off), c = load(w2 + off), d = load(w3 + off);
    fft_b(a, c, m02, s02);
    fft_b(b, d, m02, s02);
    fft_b(a, b, m01, s01);
    fft_b(c, d, m23, s23);
    store(w0 + off, a);
    store(w1 + off, b);
    store(w2 + off, c);
    store(w3 + off, d);
  }
}

void g_ifft4(uint8_t* w0,
             uint8_t* w1,
             uint8_t* w2,
             uint8_t* w3,
             Coef c01,
             Coef c23,
             Coef c02,
             size_t bytes) {
  const Mats m01 = mats(c01), m23 = mats(c23), m02 = mats(c02);
  const bool s01 = c01.log == kModulus, s23 = c23.log == kModulus, s02 = c02.log == kModulus;
  for (size_t off = 0; off < bytes; off += 64) {
    __m512i a = load(w0 + off), b = load(w1 + off), c = load(w2 + off), d = load(w3 + off);
    ifft_b(a, b, m01, s01);
    ifft_b(c, d, m23, s23);
    ifft_b(a, c, m02, s02);
    ifft_b(b, d, m02, s02);
    store(w0 + off, a);
    store(w1 + off, b);
    store(w2 + off, c);
    store(w3 + off, d);
  }
}

}  // namespace

const Kernel kGfniKernel{
    Isa::kGfni, detail::affine_coef, g_xor, g_xor_many, g_mul, g_fft2, g_ifft2, g_fft4, g_ifft4};

}  // namespace pf::fec::gf16
