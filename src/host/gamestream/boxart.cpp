// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/gamestream/boxart.h"

#include <array>

#include "base/endian.h"

namespace pf::host::gamestream {

namespace {

uint32_t crc32(const uint8_t* p, size_t n, uint32_t crc = 0) {
  static const auto table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k)
        c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  crc = ~crc;
  for (size_t i = 0; i < n; ++i)
    crc = table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

void chunk(std::vector<uint8_t>& png, const char* type, const std::vector<uint8_t>& data) {
  append_be32(png, static_cast<uint32_t>(data.size()));
  const size_t start = png.size();
  png.insert(png.end(), type, type + 4);
  png.insert(png.end(), data.begin(), data.end());
  append_be32(png, crc32(png.data() + start, png.size() - start));
}

}  // namespace

std::vector<uint8_t> make_boxart_png(uint32_t app_id, int width, int height) {
  // Raw scanlines: filter byte 0, then RGB.
  std::vector<uint8_t> raw;
  raw.reserve(static_cast<size_t>(height) * (1 + 3 * width));
  const uint8_t r0 = static_cast<uint8_t>(app_id * 37), g0 = static_cast<uint8_t>(app_id >> 8),
                b0 = static_cast<uint8_t>(app_id >> 16);
  for (int y = 0; y < height; ++y) {
    raw.push_back(0);
    for (int x = 0; x < width; ++x) {
      const int shade = 255 * y / height;
      raw.push_back(static_cast<uint8_t>((r0 + shade) / 2));
      raw.push_back(static_cast<uint8_t>((g0 + shade / 2) / 2 + 40));
      raw.push_back(static_cast<uint8_t>((b0 + 255 - shade) / 2));
    }
  }
  // zlib stream of stored blocks (<= 65535 bytes each) + Adler-32.
  std::vector<uint8_t> z = {0x78, 0x01};
  for (size_t off = 0; off < raw.size();) {
    const size_t n = std::min<size_t>(65535, raw.size() - off);
    z.push_back(off + n == raw.size() ? 1 : 0);
    z.push_back(static_cast<uint8_t>(n));
    z.push_back(static_cast<uint8_t>(n >> 8));
    z.push_back(static_cast<uint8_t>(~n));
    z.push_back(static_cast<uint8_t>(~n >> 8));
    z.insert(z.end(), raw.begin() + static_cast<long>(off),
             raw.begin() + static_cast<long>(off + n));
    off += n;
  }
  uint32_t a = 1, b = 0;
  for (uint8_t c : raw) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  append_be32(z, b << 16 | a);

  std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  std::vector<uint8_t> ihdr;
  append_be32(ihdr, static_cast<uint32_t>(width));
  append_be32(ihdr, static_cast<uint32_t>(height));
  ihdr.insert(ihdr.end(), {8, 2, 0, 0, 0});  // 8-bit RGB, no interlace
  chunk(png, "IHDR", ihdr);
  chunk(png, "IDAT", z);
  chunk(png, "IEND", {});
  return png;
}

}  // namespace pf::host::gamestream
