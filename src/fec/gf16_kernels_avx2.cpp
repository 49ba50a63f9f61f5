// SPDX-License-Identifier: MIT OR Apache-2.0
// AVX2 GF(2^16) kernels: a product is four nibble lookups per output byte
// plane (8 vpshufb per 64-byte block) from the 128-byte tables of
// gf65536::nibble_tables(). Compiled with -mavx2; internal linkage only.
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "fec/gf16_kernels.h"

namespace pf::fec::gf16 {
namespace {

constexpr uint16_t kModulus = 65535;

struct Tabs {
  __m256i lo[4], hi[4];
};

inline Tabs tabs(const Coef& c) {
  const auto* p = static_cast<const uint8_t*>(c.prepared);
  Tabs t;
  for (int i = 0; i < 4; ++i) {
    t.lo[i] =
        _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i)));
    t.hi[i] = _mm256_broadcastsi128_si256(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 64 + 16 * i)));
  }
  return t;
}

// One 64-byte block as two registers: 32 low bytes, 32 high bytes.
struct V {
  __m256i lo, hi;
};

inline V load(const uint8_t* p) {
  return V{_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)),
           _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32))};
}
inline void store(uint8_t* p, V v) {
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v.lo);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(p + 32), v.hi);
}
inline V vxor(V a, V b) {
  return V{_mm256_xor_si256(a.lo, b.lo), _mm256_xor_si256(a.hi, b.hi)};
}

inline V mul(V v, const Tabs& t) {
  const __m256i mask = _mm256_set1_epi8(0x0f);
  const __m256i n0 = _mm256_and_si256(v.lo, mask);
  const __m256i n1 = _mm256_and_si256(_mm256_srli_epi16(v.lo, 4), mask);
  const __m256i n2 = _mm256_and_si256(v.hi, mask);
  const __m256i n3 = _mm256_and_si256(_mm256_srli_epi16(v.hi, 4), mask);
  V p;
  p.lo = _mm256_xor_si256(
      _mm256_xor_si256(_mm256_shuffle_epi8(t.lo[0], n0), _mm256_shuffle_epi8(t.lo[1], n1)),
      _mm256_xor_si256(_mm256_shuffle_epi8(t.lo[2], n2), _mm256_shuffle_epi8(t.lo[3], n3)));
  p.hi = _mm256_xor_si256(
      _mm256_xor_si256(_mm256_shuffle_epi8(t.hi[0], n0), _mm256_shuffle_epi8(t.hi[1], n1)),
      _mm256_xor_si256(_mm256_shuffle_epi8(t.hi[2], n2), _mm256_shuffle_epi8(t.hi[3], n3)));
  return p;
}

void a_xor(uint8_t* x, const uint8_t* y, size_t bytes) {
  for (size_t off = 0; off < bytes; off += 64)
    store(x + off, vxor(load(x + off), load(y + off)));
}

void a_xor_many(uint8_t* x, const uint8_t* const* ys, size_t count, size_t bytes) {
  for (size_t off = 0; off < bytes; off += 64) {
    V acc = load(x + off);
    for (size_t c = 0; c < count; ++c)
      acc = vxor(acc, load(ys[c] + off));
    store(x + off, acc);
  }
}

void a_mul(uint8_t* x, const uint8_t* y, Coef c, size_t bytes) {
  const Tabs t = tabs(c);
  for (size_t off = 0; off < bytes; off += 64)
    store(x + off, mul(load(y + off), t));
}

inline void fft_b(V& x, V& y, const Tabs& t, bool skip) {
  if (!skip)
    x = vxor(x, mul(y, t));
  y = vxor(y, x);
}
inline void ifft_b(V& x, V& y, const Tabs& t, bool skip) {
  y = vxor(y, x);
  if (!skip)
    x = vxor(x, mul(y, t));
}

void a_fft2(uint8_t* x, uint8_t* y, Coef c, size_t bytes) {
  const Tabs t = tabs(c);
  const bool skip = c.log == kModulus;
  for (size_t off = 0; off < bytes; off += 64) {
    V vx = load(x + off), vy = load(y + off);
    fft_b(vx, vy, t, skip);
    store(x + off, vx);
    store(y + off, vy);
  }
}

void a_ifft2(uint8_t* x, uint8_t* y, Coef c, size_t bytes) {
  const Tabs t = tabs(c);
  const bool skip = c.log == kModulus;
  for (size_t off = 0; off < bytes; off += 64) {
    V vx = load(x + off), vy = load(y + off);
    ifft_b(vx, vy, t, skip);
    store(x + off, vx);
    store(y + off, vy);
  }
}

void a_fft4(uint8_t* w0,
            uint8_t* w1,
            uint8_t* w2,
            uint8_t* w3,
            Coef c01,
            Coef c23,
            Coef c02,
            size_t bytes) {
  const Tabs t01 = tabs(c01), t23 = tabs(c23), t02 = tabs(c02);
  const bool s01 = c01.log == kModulus, s23 = c23.log == kModulus, s02 = c02.log == kModulus;
  for (size_t off = 0; off < bytes; off += 64) {
    V a = load(w0 + off), b = load(w1 + off), c = load(w2 + off), d = load(w3 + off);
    fft_b(a, c, t02, s02);
    fft_b(b, d, t02, s02);
    fft_b(a, b, t01, s01);
    fft_b(c, d, t23, s23);
    store(w0 + off, a);
    store(w1 + off, b);
    store(w2 + off, c);
    store(w3 + off, d);
  }
}

void a_ifft4(uint8_t* w0,
             uint8_t* w1,
             uint8_t* w2,
             uint8_t* w3,
             Coef c01,
             Coef c23,
             Coef c02,
             size_t bytes) {
  const Tabs t01 = tabs(c01), t23 = tabs(c23), t02 = tabs(c02);
  const bool s01 = c01.log == kModulus, s23 = c23.log == kModulus, s02 = c02.log == kModulus;
  for (size_t off = 0; off < bytes; off += 64) {
    V a = load(w0 + off), b = load(w1 + off), c = load(w2 + off), d = load(w3 + off);
    ifft_b(a, b, t01, s01);
    ifft_b(c, d, t23, s23);
    ifft_b(a, c, t02, s02);
    ifft_b(b, d, t02, s02);
    store(w0 + off, a);
    store(w1 + off, b);
    store(w2 + off, c);
    store(w3 + off, d);
  }
}

}  // namespace

const Kernel kAvx2Kernel{
    Isa::kAvx2, detail::nibble_coef, a_xor, a_xor_many, a_mul, a_fft2, a_ifft2, a_fft4, a_ifft4};

}  // namespace pf::fec::gf16
