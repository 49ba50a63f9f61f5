// SPDX-License-Identifier: MIT OR Apache-2.0
// AVX-512BW GF(2^8) dot product: split-nibble tables, 64-byte vectors, masked
// tails. Compiled with -mavx512f -mavx512bw; internal linkage only.
// GCC 12 warns about _mm512_undefined_epi32() inside _mm512_broadcast_i32x4: a
// false positive in its own header.
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

namespace pf::fec::gf8::detail {
namespace {

inline __m512i table(const uint8_t* p) {
  return _mm512_broadcast_i32x4(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}

template <int R>
void dot_rows(const uint8_t* prep,
              size_t cols,
              const uint8_t* const* in,
              uint8_t* const* out,
              size_t bytes) {
  const __m512i mask = _mm512_set1_epi8(0x0f);
  for (size_t off = 0; off < bytes; off += 64) {
    const size_t n = bytes - off < 64 ? bytes - off : 64;
    const __mmask64 k = n == 64 ? ~__mmask64{0} : ((__mmask64{1} << n) - 1);
    __m512i acc[R];
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r)
      acc[r] = _mm512_setzero_si512();
    for (size_t c = 0; c < cols; ++c) {
      const __m512i x = _mm512_maskz_loadu_epi8(k, in[c] + off);
      const __m512i lo = _mm512_and_si512(x, mask);
      const __m512i hi = _mm512_and_si512(_mm512_srli_epi16(x, 4), mask);
#pragma GCC unroll 16
      for (int r = 0; r < R; ++r) {
        const uint8_t* p = prep + (r * cols + c) * 32;
        acc[r] = _mm512_ternarylogic_epi64(acc[r], _mm512_shuffle_epi8(table(p), lo),
                                           _mm512_shuffle_epi8(table(p + 16), hi), 0x96);
      }
    }
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r)
      _mm512_mask_storeu_epi8(out[r] + off, k, acc[r]);
  }
}

}  // namespace

void dot_avx512(const uint8_t* prep,
                size_t rows,
                size_t cols,
                const uint8_t* const* in,
                uint8_t* const* out,
                size_t bytes) {
  constexpr size_t kMaxRows = 8;
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
      case 4:
        dot_rows<4>(p, cols, in, out + r0, bytes);
        break;
      case 5:
        dot_rows<5>(p, cols, in, out + r0, bytes);
        break;
      case 6:
        dot_rows<6>(p, cols, in, out + r0, bytes);
        break;
      case 7:
        dot_rows<7>(p, cols, in, out + r0, bytes);
        break;
      default:
        dot_rows<8>(p, cols, in, out + r0, bytes);
        break;
    }
  }
}

}  // namespace pf::fec::gf8::detail
