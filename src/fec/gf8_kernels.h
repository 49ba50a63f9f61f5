// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>

#include "fec/isa.h"

// GF(2^8) region kernels: out[r] = XOR over c of M[r][c] * in[c], for rows x
// cols coefficients and regions of any byte length. Each kernel first turns the
// coefficient bytes into its own "prepared" form (tables or affine matrices),
// once per matrix, so the per-block path does no table building.
namespace pf::fec::gf8 {

struct Kernel {
  Isa isa;
  size_t prepared_bytes_per_coef;
  // out must hold count * prepared_bytes_per_coef bytes.
  void (*prepare)(const uint8_t* coef, size_t count, uint8_t* out);
  // Overwrites out[0..rows) with the products; in and out must not overlap.
  void (*dot)(const uint8_t* prepared,
              size_t rows,
              size_t cols,
              const uint8_t* const* in,
              uint8_t* const* out,
              size_t bytes);
};

// The kernel for an ISA level; the CPU must support it (see available_isas()).
const Kernel& kernel(Isa isa);

// Per-ISA tables, defined in gf8_kernels_<isa>.cpp.
extern const Kernel kScalarKernel;
extern const Kernel kAvx2Kernel;
extern const Kernel kAvx512Kernel;
extern const Kernel kGfniKernel;

}  // namespace pf::fec::gf8
