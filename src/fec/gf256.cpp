// SPDX-License-Identifier: MIT OR Apache-2.0
#include "fec/gf256.h"

#include <cstring>
#include <utility>

namespace pf::fec::gf256 {
namespace {

Tables build() {
  Tables t{};
  unsigned x = 1;
  for (int i = 0; i < 255; ++i) {
    t.exp[i] = static_cast<uint8_t>(x);
    t.log[x] = static_cast<uint8_t>(i);
    x <<= 1;
    if (x & 0x100)
      x ^= kPolynomial;
  }
  for (int i = 255; i < 512; ++i)
    t.exp[i] = t.exp[i - 255];
  for (int a = 0; a < 256; ++a)
    for (int b = 0; b < 256; ++b)
      t.mul[a][b] = (a == 0 || b == 0) ? 0 : t.exp[t.log[a] + t.log[b]];
  t.inv[0] = 0;
  for (int a = 1; a < 256; ++a)
    t.inv[a] = t.exp[255 - t.log[a]];
  return t;
}

}  // namespace

const Tables& tables() {
  static const Tables t = build();
  return t;
}

uint64_t affine_matrix(uint8_t c) {
  // Column j of "multiply by c" is c * 2^j; row i collects bit i of each column.
  uint64_t m = 0;
  for (int i = 0; i < 8; ++i) {
    uint8_t row = 0;
    for (int j = 0; j < 8; ++j)
      if (mul(c, static_cast<uint8_t>(1u << j)) & (1u << i))
        row |= static_cast<uint8_t>(1u << j);
    m |= static_cast<uint64_t>(row) << (8 * (7 - i));
  }
  return m;
}

bool invert_matrix(uint8_t* a, size_t n, uint8_t* b) {
  // b starts as the identity and receives the inverse; a is reduced to I.
  std::memset(b, 0, n * n);
  for (size_t i = 0; i < n; ++i)
    b[i * n + i] = 1;
  const Tables& t = tables();
  for (size_t col = 0; col < n; ++col) {
    size_t pivot = col;
    while (pivot < n && a[pivot * n + col] == 0)
      ++pivot;
    if (pivot == n)
      return false;
    if (pivot != col)
      for (size_t j = 0; j < n; ++j) {
        std::swap(a[pivot * n + j], a[col * n + j]);
        std::swap(b[pivot * n + j], b[col * n + j]);
      }
    const uint8_t scale = t.inv[a[col * n + col]];
    for (size_t j = 0; j < n; ++j) {
      a[col * n + j] = t.mul[scale][a[col * n + j]];
      b[col * n + j] = t.mul[scale][b[col * n + j]];
    }
    for (size_t r = 0; r < n; ++r) {
      const uint8_t f = a[r * n + col];
      if (r == col || f == 0)
        continue;
      for (size_t j = 0; j < n; ++j) {
        a[r * n + j] ^= t.mul[f][a[col * n + j]];
        b[r * n + j] ^= t.mul[f][b[col * n + j]];
      }
    }
  }
  std::memcpy(a, b, n * n);
  return true;
}

void invert_cauchy(const uint8_t* x, const uint8_t* y, size_t n, uint8_t* out, uint8_t* scratch) {
  // In logarithms: the products are sums (mod 255), each entry one exp.
  const Tables& t = tables();
  // log(prod_v (a + cross[v]) / prod_{v != self} (a + same[v])): X/X' for an
  // x (cross = y, same = x), Y/Y' for a y (cross = x, same = y).
  auto log_ratio = [&](uint8_t a, const uint8_t* cross, const uint8_t* same, size_t self) {
    unsigned sum = 0;
    for (size_t v = 0; v < n; ++v) {
      sum += t.log[a ^ cross[v]];
      if (v != self)
        sum += 255 - t.log[a ^ same[v]];
    }
    return static_cast<uint8_t>(sum % 255);
  };
  uint8_t* lx = scratch;      // log(X(u) / X'(u))
  uint8_t* ly = scratch + n;  // log(Y(t) / Y'(t))
  for (size_t u = 0; u < n; ++u)
    lx[u] = log_ratio(x[u], y, x, u);
  for (size_t r = 0; r < n; ++r)
    ly[r] = log_ratio(y[r], x, y, r);
  for (size_t r = 0; r < n; ++r) {
    uint8_t* row = out + r * n;
    for (size_t u = 0; u < n; ++u) {
      unsigned e = lx[u] + ly[r] + 255u - t.log[x[u] ^ y[r]];  // 1..763
      e = e >= 510 ? e - 510 : e;
      row[u] = t.exp[e];  // exp is doubled: exp[i] = exp[i - 255]
    }
  }
}

}  // namespace pf::fec::gf256
