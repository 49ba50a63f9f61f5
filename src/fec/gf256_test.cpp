// SPDX-License-Identifier: MIT OR Apache-2.0
#include "fec/gf256.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace pf::fec::gf256 {
namespace {

// Carry-less multiply and reduce by 0x11D: an independent definition.
uint8_t slow_mul(uint8_t a, uint8_t b) {
  unsigned p = 0;
  for (int i = 0; i < 8; ++i)
    if (b & (1u << i))
      p ^= static_cast<unsigned>(a) << i;
  for (int i = 14; i >= 8; --i)
    if (p & (1u << i))
      p ^= kPolynomial << (i - 8);
  return static_cast<uint8_t>(p);
}

TEST(Gf256Test, TablesMatchCarrylessMultiplication) {
  for (int a = 0; a < 256; ++a)
    for (int b = 0; b < 256; ++b)
      ASSERT_EQ(mul(a, b), slow_mul(a, b)) << a << " * " << b;
  EXPECT_EQ(tables().exp[8], 0x1D);  // generator 2 with polynomial 0x11D
}

TEST(Gf256Test, InversesAreInverses) {
  EXPECT_EQ(inv(0), 0);
  for (int a = 1; a < 256; ++a)
    EXPECT_EQ(mul(a, inv(a)), 1) << a;
}

TEST(Gf256Test, AffineMatrixMultipliesLikeTheTable) {
  // Apply the matrix the way vgf2p8affineqb does, in plain C++.
  for (int c = 0; c < 256; ++c) {
    const uint64_t m = affine_matrix(c);
    for (int x = 0; x < 256; ++x) {
      uint8_t y = 0;
      for (int i = 0; i < 8; ++i) {
        const uint8_t row = static_cast<uint8_t>(m >> (8 * (7 - i)));
        y |= static_cast<uint8_t>((__builtin_popcount(row & x) & 1) << i);
      }
      ASSERT_EQ(y, mul(c, x)) << c << " * " << x;
    }
  }
}

TEST(Gf256Test, InvertMatrixRoundTrips) {
  std::mt19937 rng(7);
  for (size_t n : {1, 2, 5, 17, 64}) {
    std::vector<uint8_t> a(n * n), orig, scratch(n * n);
    // Cauchy matrices are always invertible.
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < n; ++j)
        a[i * n + j] = inv(static_cast<uint8_t>(i ^ (n + j)));
    orig = a;
    ASSERT_TRUE(invert_matrix(a.data(), n, scratch.data()));
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < n; ++j) {
        uint8_t s = 0;
        for (size_t t = 0; t < n; ++t)
          s ^= mul(orig[i * n + t], a[t * n + j]);
        ASSERT_EQ(s, i == j ? 1 : 0);
      }
  }
  std::vector<uint8_t> singular{1, 2, 1, 2}, scratch(4);
  EXPECT_FALSE(invert_matrix(singular.data(), 2, scratch.data()));
}

}  // namespace
}  // namespace pf::fec::gf256

namespace pf::fec::gf256 {
namespace {

// The closed-form Cauchy inverse agrees with Gauss-Jordan on random point
// sets of every size a GF(2^8) block can have, and C^-1 C = I.
TEST(Gf256Test, CauchyInverseMatchesGaussJordan) {
  std::mt19937 rng(4242);
  for (size_t n : {1, 2, 3, 8, 50, 127}) {
    for (int round = 0; round < 5; ++round) {
      std::vector<uint8_t> points(256);
      std::iota(points.begin(), points.end(), 0);
      std::shuffle(points.begin(), points.end(), rng);
      const uint8_t* x = points.data();
      const uint8_t* y = points.data() + n;  // 2n <= 256 distinct values
      std::vector<uint8_t> c(n * n), gj(n * n), scratch(n * n), closed(n * n), s2(2 * n);
      for (size_t u = 0; u < n; ++u)
        for (size_t t = 0; t < n; ++t)
          c[u * n + t] = inv(x[u] ^ y[t]);
      gj = c;
      ASSERT_TRUE(invert_matrix(gj.data(), n, scratch.data()));
      invert_cauchy(x, y, n, closed.data(), s2.data());
      ASSERT_EQ(closed, gj) << "n=" << n << " round " << round;
      for (size_t r = 0; r < n; ++r)  // (C^-1 C)[r][t]
        for (size_t t = 0; t < n; ++t) {
          uint8_t acc = 0;
          for (size_t u = 0; u < n; ++u)
            acc ^= mul(closed[r * n + u], c[u * n + t]);
          ASSERT_EQ(acc, r == t ? 1 : 0);
        }
    }
  }
}

}  // namespace
}  // namespace pf::fec::gf256
