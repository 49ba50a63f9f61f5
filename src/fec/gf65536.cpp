// SPDX-License-Identifier: MIT OR Apache-2.0
#include "fec/gf65536.h"

#include <array>
#include <memory>
#include <vector>

namespace pf::fec::gf65536 {
namespace {

constexpr uint16_t kCantorBasis[kBits] = {0x0001, 0xACCA, 0x3C0E, 0x163E, 0xC582, 0xED2E,
                                          0x914C, 0x4012, 0x6C98, 0x10D8, 0x6A72, 0xB900,
                                          0xFDB8, 0xFB34, 0xFF38, 0x991E};

void build_logs(Tables& t) {
  // exp in the polynomial basis from an LFSR, temporarily stored inverted
  // (state -> exponent) in t.exp.
  unsigned state = 1;
  for (unsigned i = 0; i < kModulus; ++i) {
    t.exp[state] = static_cast<uint16_t>(i);
    state <<= 1;
    if (state >= kOrder)
      state ^= kPolynomial;
  }
  t.exp[0] = kModulus;
  // Cantor-basis element r is the XOR of the basis vectors its bits select.
  t.log[0] = 0;
  for (unsigned i = 0; i < kBits; ++i) {
    const unsigned width = 1u << i;
    for (unsigned j = 0; j < width; ++j)
      t.log[j + width] = t.log[j] ^ kCantorBasis[i];
  }
  for (unsigned i = 0; i < kOrder; ++i)
    t.log[i] = t.exp[t.log[i]];
  for (unsigned i = 0; i < kOrder; ++i)
    t.exp[t.log[i]] = static_cast<uint16_t>(i);
  t.exp[kModulus] = t.exp[0];
}

uint16_t mul_log_with(const Tables& t, uint16_t a, uint16_t log_m) {
  if (a == 0)
    return 0;
  return t.exp[add_mod(t.log[a], log_m)];
}

void build_fft(Tables& t) {
  // Twist factors of the LCH additive FFT over the Cantor basis.
  uint16_t temp[kBits - 1];
  for (unsigned i = 1; i < kBits; ++i)
    temp[i - 1] = static_cast<uint16_t>(1u << i);
  for (unsigned m = 0; m < kBits - 1; ++m) {
    const unsigned step = 1u << (m + 1);
    t.fft_skew[(1u << m) - 1] = 0;
    for (unsigned i = m; i < kBits - 1; ++i) {
      const unsigned s = 1u << (i + 1);
      for (unsigned j = (1u << m) - 1; j < s; j += step)
        t.fft_skew[j + s] = t.fft_skew[j] ^ temp[i];
    }
    temp[m] = static_cast<uint16_t>(kModulus - t.log[mul_log_with(t, temp[m], t.log[temp[m] ^ 1])]);
    for (unsigned i = m + 1; i < kBits - 1; ++i) {
      const uint16_t sum = add_mod(t.log[temp[i] ^ 1], temp[m]);
      temp[i] = mul_log_with(t, temp[i], sum);
    }
  }
  for (unsigned i = 0; i < kModulus; ++i)
    t.fft_skew[i] = t.log[t.fft_skew[i]];
  for (unsigned i = 0; i < kOrder; ++i)
    t.log_walsh[i] = t.log[i];
  t.log_walsh[0] = 0;
  fwht(t.log_walsh, kOrder);
}

}  // namespace

void fwht(uint16_t* d, size_t n) {
  for (size_t width = 1; width < n; width <<= 1)
    for (size_t r = 0; r < n; r += 2 * width)
      for (size_t i = r; i < r + width; ++i) {
        const uint16_t a = d[i], b = d[i + width];
        d[i] = add_mod(a, b);
        d[i + width] = sub_mod(a, b);
      }
}

const Tables& tables() {
  static const std::unique_ptr<Tables> t = [] {
    auto p = std::make_unique<Tables>();
    build_logs(*p);
    build_fft(*p);
    return p;
  }();
  return *t;
}

const uint64_t* affine_tables() {
  static const std::vector<uint64_t> table = [] {
    const Tables& t = tables();
    std::vector<uint64_t> out(static_cast<size_t>(kOrder) * 4);
    for (unsigned log_m = 0; log_m < kOrder; ++log_m) {
      // Column j of the 16x16 matrix is exp(log_m) * e_j.
      uint16_t col[16];
      for (unsigned j = 0; j < 16; ++j)
        col[j] = mul_log_with(t, static_cast<uint16_t>(1u << j), static_cast<uint16_t>(log_m));
      // Sub-matrix (out bits ob..ob+7) x (in bits ib..ib+7); byte (7 - i) = row i.
      auto block = [&](unsigned ob, unsigned ib) {
        uint64_t m = 0;
        for (unsigned i = 0; i < 8; ++i) {
          uint8_t row = 0;
          for (unsigned j = 0; j < 8; ++j)
            if (col[ib + j] & (1u << (ob + i)))
              row |= static_cast<uint8_t>(1u << j);
          m |= static_cast<uint64_t>(row) << (8 * (7 - i));
        }
        return m;
      };
      uint64_t* e = out.data() + static_cast<size_t>(log_m) * 4;
      e[0] = block(0, 0);  // lo -> lo
      e[1] = block(0, 8);  // hi -> lo
      e[2] = block(8, 0);  // lo -> hi
      e[3] = block(8, 8);  // hi -> hi
    }
    return out;
  }();
  return table.data();
}

const uint8_t* nibble_tables() {
  static const std::vector<uint8_t> table = [] {
    const Tables& t = tables();
    std::vector<uint8_t> out(static_cast<size_t>(kOrder) * 128);
    for (unsigned log_m = 0; log_m < kOrder; ++log_m) {
      uint16_t col[16];
      for (unsigned j = 0; j < 16; ++j)
        col[j] = mul_log_with(t, static_cast<uint16_t>(1u << j), static_cast<uint16_t>(log_m));
      uint8_t* e = out.data() + static_cast<size_t>(log_m) * 128;
      for (unsigned nib = 0; nib < 4; ++nib)
        for (unsigned x = 0; x < 16; ++x) {
          uint16_t p = 0;  // multiplication is XOR-linear: sum the columns x selects
          for (unsigned b = 0; b < 4; ++b)
            if (x & (1u << b))
              p ^= col[4 * nib + b];
          e[nib * 16 + x] = static_cast<uint8_t>(p);
          e[64 + nib * 16 + x] = static_cast<uint8_t>(p >> 8);
        }
    }
    return out;
  }();
  return table.data();
}

const uint16_t* active_log_walsh(size_t n) {
  // All 16 tables (n = 2 .. 65536) are built together on first use (~2 ms).
  static const std::array<std::vector<uint16_t>, kBits + 1> cache = [] {
    std::array<std::vector<uint16_t>, kBits + 1> c;
    const Tables& t = tables();
    for (unsigned bits = 1; bits <= kBits; ++bits) {
      const size_t size = size_t{1} << bits;
      auto& v = c[bits];
      v.assign(t.log, t.log + size);
      v[0] = 0;
      fwht(v.data(), size);
      // A Walsh transform applied twice multiplies by n; 65536 = 1 (mod 65535),
      // so n^-1 = 65536 / n.
      const unsigned inverse_n = kOrder / static_cast<unsigned>(size);
      for (auto& x : v)
        x = static_cast<uint16_t>((static_cast<unsigned>(x) * inverse_n) % kModulus);
    }
    return c;
  }();
  unsigned bits = 1;
  while ((size_t{1} << bits) < n)
    ++bits;
  return cache[bits].data();
}

}  // namespace pf::fec::gf65536
