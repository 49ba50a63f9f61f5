// SPDX-License-Identifier: MIT OR Apache-2.0
#include "fec/gf256.h"

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
