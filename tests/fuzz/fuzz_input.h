// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

// A fuzz input read as a program: bytes, little-endian integers and byte strings taken from the
// front; past the end every read gives zeros (an empty() program stops).
namespace pf::fuzz {

struct Input {
  const uint8_t* p;
  size_t n;
  bool empty() const { return n == 0; }
  uint8_t u8() {
    if (!n)
      return 0;
    --n;
    return *p++;
  }
  uint16_t u16() { return static_cast<uint16_t>(u8() | u8() << 8); }
  uint32_t u32() { return uint32_t{u16()} | uint32_t{u16()} << 16; }
  // Up to `max` bytes (how many: the next byte), as many as are left.
  std::vector<uint8_t> bytes(size_t max) {
    const size_t k = std::min<size_t>(u8() % (max + 1), n);
    std::vector<uint8_t> out(p, p + k);
    p += k;
    n -= k;
    return out;
  }
};

}  // namespace pf::fuzz
