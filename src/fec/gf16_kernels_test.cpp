// SPDX-License-Identifier: MIT OR Apache-2.0
#include "fec/gf16_kernels.h"

#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "fec/gf65536.h"

namespace pf::fec::gf16 {
namespace {

using Buf = std::vector<uint8_t>;

Buf random_buf(size_t n, std::mt19937& rng) {
  Buf b(n);
  for (auto& x : b)
    x = static_cast<uint8_t>(rng());
  return b;
}

uint16_t random_log(std::mt19937& rng) {
  // Include the "zero multiplier" log often, since butterflies special-case it.
  return rng() % 5 == 0 ? gf65536::kModulus : static_cast<uint16_t>(rng() % 65536);
}

TEST(Gf16KernelsTest, EveryIsaMatchesScalar) {
  const uint32_t seed = 777;
  std::mt19937 rng(seed);
  const Kernel& ref = kScalarKernel;
  for (Isa isa : available_isas()) {
    const Kernel& k = kernel(isa);
    for (int iter = 0; iter < 60; ++iter) {
      const size_t bytes = 64 * (1 + rng() % 40);
      const uint16_t la = random_log(rng), lb = random_log(rng), lc = random_log(rng);
      const Coef a = k.coef(la), b = k.coef(lb), c = k.coef(lc);
      const Coef ra = ref.coef(la), rb = ref.coef(lb), rc = ref.coef(lc);
      Buf x = random_buf(bytes, rng), y = random_buf(bytes, rng);
      Buf z = random_buf(bytes, rng), u = random_buf(bytes, rng);
      std::string where = std::string(isa_name(isa)) + " bytes=" + std::to_string(bytes) +
                          " seed=" + std::to_string(seed) + " iter=" + std::to_string(iter);
      {
        Buf x1 = x, x2 = x;
        ref.xor_region(x1.data(), y.data(), bytes);
        k.xor_region(x2.data(), y.data(), bytes);
        ASSERT_EQ(x1, x2) << "xor " << where;
      }
      {
        Buf x1(bytes), x2(bytes);
        ref.mul(x1.data(), y.data(), ra, bytes);
        k.mul(x2.data(), y.data(), a, bytes);
        ASSERT_EQ(x1, x2) << "mul " << where;
      }
      for (int op = 0; op < 2; ++op) {
        Buf x1 = x, y1 = y, x2 = x, y2 = y;
        auto f = op == 0 ? &Kernel::fft2 : &Kernel::ifft2;
        (ref.*f)(x1.data(), y1.data(), ra, bytes);
        (k.*f)(x2.data(), y2.data(), a, bytes);
        ASSERT_EQ(x1, x2) << (op ? "ifft2 " : "fft2 ") << where;
        ASSERT_EQ(y1, y2) << (op ? "ifft2 " : "fft2 ") << where;
      }
      for (int op = 0; op < 2; ++op) {
        Buf r[4] = {x, y, z, u}, s[4] = {x, y, z, u};
        auto f = op == 0 ? &Kernel::fft4 : &Kernel::ifft4;
        (ref.*f)(r[0].data(), r[1].data(), r[2].data(), r[3].data(), ra, rb, rc, bytes);
        (k.*f)(s[0].data(), s[1].data(), s[2].data(), s[3].data(), a, b, c, bytes);
        for (int i = 0; i < 4; ++i)
          ASSERT_EQ(r[i], s[i]) << (op ? "ifft4 " : "fft4 ") << where;
      }
    }
  }
}

TEST(Gf16KernelsTest, ButterfliesInvertEachOther) {
  std::mt19937 rng(3);
  for (Isa isa : available_isas()) {
    const Kernel& k = kernel(isa);
    Buf x = random_buf(256, rng), y = random_buf(256, rng);
    Buf x0 = x, y0 = y;
    const Coef c = k.coef(1234);
    k.fft2(x.data(), y.data(), c, 256);
    EXPECT_NE(x, x0);
    k.ifft2(x.data(), y.data(), c, 256);
    EXPECT_EQ(x, x0);
    EXPECT_EQ(y, y0);
  }
}

}  // namespace
}  // namespace pf::fec::gf16
