// SPDX-License-Identifier: MIT OR Apache-2.0
#include "fec/fft16.h"

#include "fec/gf65536.h"

namespace pf::fec::fft16 {
namespace {

// In both transforms the pair (i, i + d) of the block starting at r (relative
// to the transform, evaluation points shifted by `off`) uses the twist factor
// skew[off + r + d - 1].

void ifft_flat(const gf16::Kernel& k,
               uint8_t** w,
               size_t n,
               size_t truncated,
               size_t off,
               Mask nz,
               size_t base,
               size_t bytes) {
  const uint16_t* skew = gf65536::tables().fft_skew + off;
  size_t dist = 1, dist4 = 4;
  for (; dist4 <= n; dist = dist4, dist4 <<= 2) {
    for (size_t r = 0; r < truncated; r += dist4) {
      if (!nz.any(base + r, base + r + dist4))
        continue;  // all zero stays zero
      const auto c01 = k.coef(skew[r + dist - 1]);
      const auto c02 = k.coef(skew[r + 2 * dist - 1]);
      const auto c23 = k.coef(skew[r + 3 * dist - 1]);
      for (size_t i = r; i < r + dist; ++i)
        k.ifft4(w[i], w[i + dist], w[i + 2 * dist], w[i + 3 * dist], c01, c23, c02, bytes);
    }
  }
  if (dist < n) {
    const auto c = k.coef(skew[dist - 1]);
    for (size_t i = 0; i < dist; ++i)
      k.ifft2(w[i], w[i + dist], c, bytes);
  }
}

void ifft_rec(const gf16::Kernel& k,
              uint8_t** w,
              size_t n,
              size_t truncated,
              size_t off,
              Mask nz,
              size_t base,
              size_t bytes) {
  if (n < 16 || n * bytes <= kBlockBytes)
    return ifft_flat(k, w, n, truncated, off, nz, base, bytes);
  const size_t q = n / 4;
  for (size_t s = 0; s < 4; ++s) {
    const size_t start = s * q;
    if (start >= truncated || !nz.any(base + start, base + start + q))
      continue;
    const size_t t = truncated - start < q ? truncated - start : q;
    ifft_rec(k, w + start, q, t, off + start, nz, base + start, bytes);
  }
  const uint16_t* skew = gf65536::tables().fft_skew + off;
  const auto c01 = k.coef(skew[q - 1]);
  const auto c02 = k.coef(skew[2 * q - 1]);
  const auto c23 = k.coef(skew[3 * q - 1]);
  for (size_t i = 0; i < q; ++i)
    k.ifft4(w[i], w[i + q], w[i + 2 * q], w[i + 3 * q], c01, c23, c02, bytes);
}

void fft_flat(const gf16::Kernel& k,
              uint8_t** w,
              size_t n,
              size_t truncated,
              size_t off,
              Mask want,
              size_t base,
              size_t bytes) {
  const uint16_t* skew = gf65536::tables().fft_skew + off;
  size_t dist4 = n, dist = n >> 2;
  for (; dist != 0; dist4 = dist, dist >>= 2) {
    for (size_t r = 0; r < truncated; r += dist4) {
      if (!want.any(base + r, base + r + dist4))
        continue;  // no output needed here
      const auto c01 = k.coef(skew[r + dist - 1]);
      const auto c02 = k.coef(skew[r + 2 * dist - 1]);
      const auto c23 = k.coef(skew[r + 3 * dist - 1]);
      for (size_t i = r; i < r + dist; ++i)
        k.fft4(w[i], w[i + dist], w[i + 2 * dist], w[i + 3 * dist], c01, c23, c02, bytes);
    }
  }
  if (dist4 == 2) {
    for (size_t r = 0; r < truncated; r += 2)
      if (want.any(base + r, base + r + 2))
        k.fft2(w[r], w[r + 1], k.coef(skew[r]), bytes);
  }
}

void fft_rec(const gf16::Kernel& k,
             uint8_t** w,
             size_t n,
             size_t truncated,
             size_t off,
             Mask want,
             size_t base,
             size_t bytes) {
  if (n < 16 || n * bytes <= kBlockBytes)
    return fft_flat(k, w, n, truncated, off, want, base, bytes);
  const size_t q = n / 4;
  const uint16_t* skew = gf65536::tables().fft_skew + off;
  const auto c01 = k.coef(skew[q - 1]);
  const auto c02 = k.coef(skew[2 * q - 1]);
  const auto c23 = k.coef(skew[3 * q - 1]);
  for (size_t i = 0; i < q; ++i)
    k.fft4(w[i], w[i + q], w[i + 2 * q], w[i + 3 * q], c01, c23, c02, bytes);
  for (size_t s = 0; s < 4; ++s) {
    const size_t start = s * q;
    if (start >= truncated || !want.any(base + start, base + start + q))
      continue;
    const size_t t = truncated - start < q ? truncated - start : q;
    fft_rec(k, w + start, q, t, off + start, want, base + start, bytes);
  }
}

}  // namespace

void ifft(const gf16::Kernel& k,
          uint8_t** w,
          size_t n,
          size_t truncated,
          size_t offset,
          Mask nonzero,
          size_t bytes) {
  ifft_rec(k, w, n, truncated, offset, nonzero, 0, bytes);
}

void fft(const gf16::Kernel& k,
         uint8_t** w,
         size_t n,
         size_t truncated,
         Mask wanted,
         size_t bytes) {
  fft_rec(k, w, n, truncated, 0, wanted, 0, bytes);
}

}  // namespace pf::fec::fft16
