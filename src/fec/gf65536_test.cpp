// SPDX-License-Identifier: MIT OR Apache-2.0
#include "fec/gf65536.h"

#include <random>

#include <gtest/gtest.h>

namespace pf::fec::gf65536 {
namespace {

TEST(Gf65536Test, LogAndExpAreInverse) {
  const Tables& t = tables();
  EXPECT_EQ(t.log[0], kModulus);
  for (unsigned x = 1; x < kOrder; ++x)
    ASSERT_EQ(t.exp[t.log[x]], x);
}

TEST(Gf65536Test, MultiplicationIsLinearAndHasInverses) {
  std::mt19937 rng(5);
  for (int iter = 0; iter < 20000; ++iter) {
    const uint16_t a = rng(), b = rng(), lm = rng() % kModulus;
    // Multiplying by a constant is XOR-linear (the property the SIMD kernels rely on).
    ASSERT_EQ(mul_log(a ^ b, lm), mul_log(a, lm) ^ mul_log(b, lm));
    if (a == 0)
      continue;
    // a * x * x^-1 == a
    ASSERT_EQ(mul_log(mul_log(a, lm), static_cast<uint16_t>(kModulus - lm)), a);
  }
  EXPECT_EQ(mul_log(1234, kModulus), 1234);  // log 65535 == log 0: multiply by 1
}

TEST(Gf65536Test, AffineTablesMultiplyLikeTheLogTables) {
  const uint64_t* tab = affine_tables();
  auto apply = [](uint64_t m, uint8_t x) {
    uint8_t y = 0;
    for (int i = 0; i < 8; ++i)
      y |= static_cast<uint8_t>(
          (__builtin_popcount(static_cast<uint8_t>(m >> (8 * (7 - i))) & x) & 1) << i);
    return y;
  };
  std::mt19937 rng(11);
  for (int iter = 0; iter < 5000; ++iter) {
    const uint16_t lm = iter == 0 ? kModulus : rng();
    const uint16_t v = rng();
    const uint64_t* e = tab + size_t{lm} * 4;
    const uint8_t lo = v & 0xff, hi = v >> 8;
    const uint16_t got = static_cast<uint16_t>((apply(e[0], lo) ^ apply(e[1], hi)) |
                                               ((apply(e[2], lo) ^ apply(e[3], hi)) << 8));
    ASSERT_EQ(got, mul_log(v, lm)) << "log " << lm << " value " << v;
  }
}

TEST(Gf65536Test, ActiveWalshTablesAreScaledInverses) {
  // Applying FWHT twice multiplies by n; the active table is scaled by n^-1, so
  // FWHT(FWHT(table)) == n * table * n^-1 ... i.e. the original logs (log[0] = 0).
  for (size_t n : {2u, 16u, 1024u}) {
    std::vector<uint16_t> v(active_log_walsh(n), active_log_walsh(n) + n);
    fwht(v.data(), n);
    for (size_t i = 0; i < n; ++i) {
      const unsigned want = i == 0 ? 0 : tables().log[i];
      ASSERT_EQ(v[i] % kModulus, want % kModulus) << "n=" << n << " i=" << i;
    }
  }
}

}  // namespace
}  // namespace pf::fec::gf65536
