// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>

// GF(2^16) as Leopard-RS defines it: polynomial x^16+x^5+x^3+x^2+1 (0x1002D),
// elements written in a Cantor basis so that the additive FFT of Lin, Han and
// Chung needs no basis conversion. Arithmetic on logarithms is mod 65535
// (kModulus), and a log of kModulus stands for "the element 0" inside FFT
// butterflies (multiply-by-zero: skip).
namespace pf::fec::gf65536 {

inline constexpr unsigned kBits = 16;
inline constexpr unsigned kOrder = 65536;
inline constexpr unsigned kModulus = 65535;
inline constexpr unsigned kPolynomial = 0x1002D;

struct Tables {
  uint16_t log[kOrder];         // log[0] = kModulus
  uint16_t exp[kOrder];         // exp[kModulus] = exp[0]
  uint16_t fft_skew[kModulus];  // log of the FFT twist factors
  uint16_t log_walsh[kOrder];   // FWHT(log), log[0] taken as 0
};

// Built once on first use (about 1 ms); thread-safe.
const Tables& tables();

// (a + b) and (a - b) mod 65535 with partial reduction (65535 may be returned).
inline uint16_t add_mod(uint16_t a, uint16_t b) {
  const unsigned sum = static_cast<unsigned>(a) + b;
  return static_cast<uint16_t>(sum + (sum >> kBits));
}
inline uint16_t sub_mod(uint16_t a, uint16_t b) {
  const unsigned dif = static_cast<unsigned>(a) - b;
  return static_cast<uint16_t>(dif + (dif >> kBits));
}

// a * exp(log_m).
inline uint16_t mul_log(uint16_t a, uint16_t log_m) {
  if (a == 0)
    return 0;
  const Tables& t = tables();
  return t.exp[add_mod(t.log[a], log_m)];
}

// For the GFNI kernels: the 16x16 bit matrix of "multiply by exp(log_m)" as
// four vgf2p8affineqb matrices {lo->lo, hi->lo, lo->hi, hi->hi}, for every
// log_m in [0, 65535]. 2 MiB, built on first use; thread-safe.
const uint64_t* affine_tables();

// For the vpshufb (AVX2) kernels: per log_m, 128 bytes: the low bytes of
// exp(log_m) * (x << 4i) for i = 0..3, x = 0..15 (4 x 16 bytes), then their high
// bytes. 8 MiB, built on first use; thread-safe.
const uint8_t* nibble_tables();

// In-place Walsh-Hadamard transform mod 65535 over n = 2^t values.
void fwht(uint16_t* data, size_t n);

// FWHT(log) restricted to the first n field elements and scaled by n^-1, for
// evaluating an error locator over n points (n a power of two, 2..65536).
const uint16_t* active_log_walsh(size_t n);

}  // namespace pf::fec::gf65536
