// SPDX-License-Identifier: MIT OR Apache-2.0
#include "fec/gf8_kernels.h"

#include <cstring>

#include "fec/gf256.h"

namespace pf::fec::gf8 {
namespace {

void scalar_prepare(const uint8_t* coef, size_t count, uint8_t* out) {
  std::memcpy(out, coef, count);
}

void scalar_dot(const uint8_t* coef,
                size_t rows,
                size_t cols,
                const uint8_t* const* in,
                uint8_t* const* out,
                size_t bytes) {
  const auto& t = gf256::tables();
  for (size_t r = 0; r < rows; ++r) {
    uint8_t* o = out[r];
    std::memset(o, 0, bytes);
    for (size_t c = 0; c < cols; ++c) {
      const uint8_t m = coef[r * cols + c];
      if (m == 0)
        continue;
      const uint8_t* row = t.mul[m];
      const uint8_t* s = in[c];
      for (size_t b = 0; b < bytes; ++b)
        o[b] ^= row[s[b]];
    }
  }
}

// Split-nibble tables for the vpshufb kernels: 16 x (c * x), 16 x (c * (x << 4)).
// Both are built once for all 256 coefficients, so preparing a matrix is a copy.
struct PreparedTables {
  uint8_t nibble[256][32];
  uint64_t affine[256];
};

const PreparedTables& prepared_tables() {
  static const PreparedTables t = [] {
    PreparedTables p{};
    for (unsigned c = 0; c < 256; ++c) {
      for (unsigned x = 0; x < 16; ++x) {
        p.nibble[c][x] = gf256::mul(static_cast<uint8_t>(c), static_cast<uint8_t>(x));
        p.nibble[c][16 + x] = gf256::mul(static_cast<uint8_t>(c), static_cast<uint8_t>(x << 4));
      }
      p.affine[c] = gf256::affine_matrix(static_cast<uint8_t>(c));
    }
    return p;
  }();
  return t;
}

void nibble_prepare(const uint8_t* coef, size_t count, uint8_t* out) {
  const auto& t = prepared_tables();
  for (size_t i = 0; i < count; ++i)
    std::memcpy(out + i * 32, t.nibble[coef[i]], 32);
}

// 8x8 bit matrices for vgf2p8affineqb, one uint64 per coefficient.
void affine_prepare(const uint8_t* coef, size_t count, uint8_t* out) {
  const auto& t = prepared_tables();
  for (size_t i = 0; i < count; ++i)
    std::memcpy(out + i * 8, &t.affine[coef[i]], 8);
}

}  // namespace

namespace detail {
void dot_avx2(const uint8_t*, size_t, size_t, const uint8_t* const*, uint8_t* const*, size_t);
void dot_avx512(const uint8_t*, size_t, size_t, const uint8_t* const*, uint8_t* const*, size_t);
void dot_gfni(const uint8_t*, size_t, size_t, const uint8_t* const*, uint8_t* const*, size_t);
}  // namespace detail

const Kernel kScalarKernel{Isa::kScalar, 1, scalar_prepare, scalar_dot};
const Kernel kAvx2Kernel{Isa::kAvx2, 32, nibble_prepare, detail::dot_avx2};
const Kernel kAvx512Kernel{Isa::kAvx512, 32, nibble_prepare, detail::dot_avx512};
const Kernel kGfniKernel{Isa::kGfni, 8, affine_prepare, detail::dot_gfni};

const Kernel& kernel(Isa isa) {
  switch (isa) {
    case Isa::kAvx2:
      return kAvx2Kernel;
    case Isa::kAvx512:
      return kAvx512Kernel;
    case Isa::kGfni:
      return kGfniKernel;
    case Isa::kScalar:
      break;
  }
  return kScalarKernel;
}

}  // namespace pf::fec::gf8
