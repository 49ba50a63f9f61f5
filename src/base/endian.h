// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <bit>
#include <cstdint>
#include <type_traits>
#include <vector>

// Fixed-width big/little-endian loads and stores at a raw pointer, for packet
// code that has already checked the length (use ByteReader/ByteWriter where the
// bounds are not yet known). No alignment requirement; no allocation except the
// append_* forms, which grow a vector.
namespace pf {

// Unsigned integers in and out of little- or big-endian byte order (whatever the machine's).
template <typename T>
constexpr T byteswap(T v) {
  static_assert(std::is_unsigned_v<T>);
  if constexpr (sizeof(T) == 1)
    return v;
  else if constexpr (sizeof(T) == 2)
    return __builtin_bswap16(v);
  else if constexpr (sizeof(T) == 4)
    return __builtin_bswap32(v);
  else
    return __builtin_bswap64(v);
}
template <typename T>
constexpr T little_endian(T v) {
  return std::endian::native == std::endian::little ? v : byteswap(v);
}
template <typename T>
constexpr T big_endian(T v) {
  return std::endian::native == std::endian::big ? v : byteswap(v);
}

inline uint16_t load_be16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] << 8 | p[1]);
}
inline uint32_t load_be32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}
inline uint16_t load_le16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] | p[1] << 8);
}
inline uint32_t load_le32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

inline void store_be16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
inline void store_be32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    p[i] = static_cast<uint8_t>(v >> (24 - 8 * i));
}
inline void store_le16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}
inline void store_le32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    p[i] = static_cast<uint8_t>(v >> (8 * i));
}

inline void append_le16(std::vector<uint8_t>& out, uint16_t v) {
  uint8_t b[2];
  store_le16(b, v);
  out.insert(out.end(), b, b + 2);
}
inline void append_le32(std::vector<uint8_t>& out, uint32_t v) {
  uint8_t b[4];
  store_le32(b, v);
  out.insert(out.end(), b, b + 4);
}
inline void append_be32(std::vector<uint8_t>& out, uint32_t v) {
  uint8_t b[4];
  store_be32(b, v);
  out.insert(out.end(), b, b + 4);
}

}  // namespace pf
