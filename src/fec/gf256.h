// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>

// GF(2^8) with the reduction polynomial x^8+x^4+x^3+x^2+1 (0x11D) and
// generator 2: the field of Moonlight's (nanors) video and audio FEC.
namespace pf::fec::gf256 {

inline constexpr unsigned kPolynomial = 0x11D;

struct Tables {
  uint8_t exp[512];  // exp[i] = 2^i, doubled so exp[log a + log b] needs no reduction
  uint8_t log[256];  // log[0] is unused
  uint8_t mul[256][256];
  uint8_t inv[256];  // inv[0] = 0
};

// Built once, on first use; thread-safe (function-local static).
const Tables& tables();

inline uint8_t mul(uint8_t a, uint8_t b) {
  return tables().mul[a][b];
}
inline uint8_t inv(uint8_t a) {
  return tables().inv[a];
}

// The 8x8 GF(2) matrix of "multiply by c" in the layout vgf2p8affineqb
// expects: byte (7 - i) of the result holds row i (the input bits that feed
// output bit i).
uint64_t affine_matrix(uint8_t c);

// Inverts the n x n row-major matrix `a` in place (Gauss-Jordan). Returns false
// if it is singular. `scratch` must hold n*n bytes.
bool invert_matrix(uint8_t* a, size_t n, uint8_t* scratch);

// The inverse of the n x n Cauchy matrix C[u][t] = 1 / (x[u] + y[t]) (all x
// and y distinct, no x equal to a y) in O(n^2), from the closed form
//   C^-1[t][u] = X(u) Y(t) / ((x[u] + y[t]) X'(u) Y'(t)),
//   X(u) = prod_t (x[u] + y[t]),  Y(t) = prod_u (y[t] + x[u]),
//   X'(u) = prod_{v != u} (x[u] + x[v]),  Y'(t) = prod_{s != t} (y[t] + y[s]).
// `out` (n x n, row t, column u) must not overlap; `scratch` holds 2n bytes.
void invert_cauchy(const uint8_t* x, const uint8_t* y, size_t n, uint8_t* out, uint8_t* scratch);

}  // namespace pf::fec::gf256
