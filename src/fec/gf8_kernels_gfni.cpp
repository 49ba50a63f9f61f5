// SPDX-License-Identifier: MIT OR Apache-2.0
// AVX-512 + GFNI GF(2^8) dot product. vgf2p8mulb only knows the AES polynomial
// (0x11B), so multiplication by a constant in our 0x11D field is expressed as
// its 8x8 bit matrix for vgf2p8affineqb: one instruction per coefficient per
// 64 bytes. Two vectors per iteration for instruction-level parallelism.
// Compiled with -mavx512f -mavx512bw -mgfni; internal linkage only.
// GCC 12's own AVX-512 headers trip -W(maybe-)uninitialized (_mm512_undefined_*).
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

namespace pf::fec::gf8::detail {
namespace {

inline __mmask64 tail_mask(size_t n) {
  return n >= 64 ? ~__mmask64{0} : ((__mmask64{1} << n) - 1);
}

template <int R>
void dot_rows(const uint64_t* mat,
              size_t cols,
              const uint8_t* const* in,
              uint8_t* const* out,
              size_t bytes) {
  size_t off = 0;
  for (; off + 128 <= bytes; off += 128) {
    __m512i a0[R], a1[R];
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r)
      a0[r] = a1[r] = _mm512_setzero_si512();
    for (size_t c = 0; c < cols; ++c) {
      const __m512i x0 = _mm512_loadu_si512(in[c] + off);
      const __m512i x1 = _mm512_loadu_si512(in[c] + off + 64);
#pragma GCC unroll 16
      for (int r = 0; r < R; ++r) {
        const __m512i m = _mm512_set1_epi64(static_cast<long long>(mat[r * cols + c]));
        a0[r] = _mm512_xor_si512(a0[r], _mm512_gf2p8affine_epi64_epi8(x0, m, 0));
        a1[r] = _mm512_xor_si512(a1[r], _mm512_gf2p8affine_epi64_epi8(x1, m, 0));
      }
    }
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      _mm512_storeu_si512(out[r] + off, a0[r]);
      _mm512_storeu_si512(out[r] + off + 64, a1[r]);
    }
  }
  for (; off < bytes; off += 64) {
    const __mmask64 k = tail_mask(bytes - off);
    __m512i acc[R];
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r)
      acc[r] = _mm512_setzero_si512();
    for (size_t c = 0; c < cols; ++c) {
      const __m512i x = _mm512_maskz_loadu_epi8(k, in[c] + off);
#pragma GCC unroll 16
      for (int r = 0; r < R; ++r) {
        const __m512i m = _mm512_set1_epi64(static_cast<long long>(mat[r * cols + c]));
        acc[r] = _mm512_xor_si512(acc[r], _mm512_gf2p8affine_epi64_epi8(x, m, 0));
      }
    }
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r)
      _mm512_mask_storeu_epi8(out[r] + off, k, acc[r]);
  }
}

}  // namespace

void dot_gfni(const uint8_t* prep,
              size_t rows,
              size_t cols,
              const uint8_t* const* in,
              uint8_t* const* out,
              size_t bytes) {
  const auto* mat = reinterpret_cast<const uint64_t*>(prep);
  constexpr size_t kMaxRows = 8;
  for (size_t r0 = 0; r0 < rows; r0 += kMaxRows) {
    const uint64_t* m = mat + r0 * cols;
    switch (rows - r0 < kMaxRows ? rows - r0 : kMaxRows) {
      case 1:
        dot_rows<1>(m, cols, in, out + r0, bytes);
        break;
      case 2:
        dot_rows<2>(m, cols, in, out + r0, bytes);
        break;
      case 3:
        dot_rows<3>(m, cols, in, out + r0, bytes);
        break;
      case 4:
        dot_rows<4>(m, cols, in, out + r0, bytes);
        break;
      case 5:
        dot_rows<5>(m, cols, in, out + r0, bytes);
        break;
      case 6:
        dot_rows<6>(m, cols, in, out + r0, bytes);
        break;
      case 7:
        dot_rows<7>(m, cols, in, out + r0, bytes);
        break;
      default:
        dot_rows<8>(m, cols, in, out + r0, bytes);
        break;
    }
  }
}

}  // namespace pf::fec::gf8::detail
