// SPDX-License-Identifier: MIT OR Apache-2.0
// AVX2 GF(2^8) dot product: split-nibble tables with vpshufb. Compiled with
// -mavx2; everything here has internal linkage so no AVX2 code can leak into
// inline functions shared with other translation units.
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

namespace pf::fec::gf8::detail {
namespace {

// prepared layout per coefficient: 16 bytes c*x (x < 16), 16 bytes c*(x << 4).
inline __m256i table(const uint8_t* p) {
  return _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}

inline uint8_t mul_scalar(const uint8_t* p, uint8_t x) {
  return p[x & 15] ^ p[16 + (x >> 4)];
}

template <int R>
void dot_rows(const uint8_t* prep,
              size_t cols,
              const uint8_t* const* in,
              uint8_t* const* out,
              size_t bytes) {
  const __m256i mask = _mm256_set1_epi8(0x0f);
  size_t off = 0;
  for (; off + 64 <= bytes; off += 64) {
    __m256i acc0[R], acc1[R];
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r)
      acc0[r] = acc1[r] = _mm256_setzero_si256();
    for (size_t c = 0; c < cols; ++c) {
      const __m256i x0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in[c] + off));
      const __m256i x1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in[c] + off + 32));
      const __m256i l0 = _mm256_and_si256(x0, mask);
      const __m256i h0 = _mm256_and_si256(_mm256_srli_epi16(x0, 4), mask);
      const __m256i l1 = _mm256_and_si256(x1, mask);
      const __m256i h1 = _mm256_and_si256(_mm256_srli_epi16(x1, 4), mask);
#pragma GCC unroll 16
      for (int r = 0; r < R; ++r) {
        const uint8_t* p = prep + (r * cols + c) * 32;
        const __m256i tl = table(p);
        const __m256i th = table(p + 16);
        acc0[r] = _mm256_xor_si256(
            acc0[r], _mm256_xor_si256(_mm256_shuffle_epi8(tl, l0), _mm256_shuffle_epi8(th, h0)));
        acc1[r] = _mm256_xor_si256(
            acc1[r], _mm256_xor_si256(_mm256_shuffle_epi8(tl, l1), _mm256_shuffle_epi8(th, h1)));
      }
    }
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out[r] + off), acc0[r]);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out[r] + off + 32), acc1[r]);
    }
  }
  for (; off < bytes; ++off) {
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      uint8_t acc = 0;
      for (size_t c = 0; c < cols; ++c)
        acc ^= mul_scalar(prep + (r * cols + c) * 32, in[c][off]);
      out[r][off] = acc;
    }
  }
}

}  // namespace

void dot_avx2(const uint8_t* prep,
              size_t rows,
              size_t cols,
              const uint8_t* const* in,
              uint8_t* const* out,
              size_t bytes) {
  constexpr size_t kMaxRows = 4;
  for (size_t r0 = 0; r0 < rows; r0 += kMaxRows) {
    const uint8_t* p = prep + r0 * cols * 32;
    switch (rows - r0 < kMaxRows ? rows - r0 : kMaxRows) {
      case 1:
        dot_rows<1>(p, cols, in, out + r0, bytes);
        break;
      case 2:
        dot_rows<2>(p, cols, in, out + r0, bytes);
        break;
      case 3:
        dot_rows<3>(p, cols, in, out + r0, bytes);
        break;
      default:
        dot_rows<4>(p, cols, in, out + r0, bytes);
        break;
    }
  }
}

}  // namespace pf::fec::gf8::detail
