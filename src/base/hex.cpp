// SPDX-License-Identifier: MIT OR Apache-2.0
#include "base/hex.h"

#include <fmt/format.h>

namespace pf {

std::string to_hex(std::span<const uint8_t> bytes, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out(bytes.size() * 2, '0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = digits[bytes[i] >> 4];
    out[2 * i + 1] = digits[bytes[i] & 15];
  }
  return out;
}

static int nibble(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

Result<std::vector<uint8_t>> from_hex(std::string_view text) {
  if (text.size() % 2 != 0)
    return make_error(StatusCode::kInvalidArgument,
                      fmt::format("hex string of odd length {}", text.size()));
  std::vector<uint8_t> out(text.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    const int hi = nibble(text[2 * i]), lo = nibble(text[2 * i + 1]);
    if (hi < 0 || lo < 0)
      return make_error(StatusCode::kInvalidArgument,
                        fmt::format("not a hex digit at offset {}", hi < 0 ? 2 * i : 2 * i + 1));
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return out;
}

}  // namespace pf
