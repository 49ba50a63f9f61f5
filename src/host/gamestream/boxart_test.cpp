// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/gamestream/boxart.h"

#include <gtest/gtest.h>

namespace pf::host::gamestream {
namespace {

uint32_t be32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}

TEST(BoxartTest, IsAWellFormedPng) {
  const auto png = make_boxart_png(881448767, 130, 180);
  ASSERT_GT(png.size(), 8u);
  EXPECT_EQ(png[1], 'P');
  // Walk the chunks: IHDR first with the size, IDAT, IEND last.
  size_t at = 8;
  std::vector<std::string> types;
  size_t idat_bytes = 0;
  while (at + 12 <= png.size()) {
    const uint32_t len = be32(&png[at]);
    const std::string type(png.begin() + at + 4, png.begin() + at + 8);
    types.push_back(type);
    if (type == "IHDR") {
      EXPECT_EQ(be32(&png[at + 8]), 130u);
      EXPECT_EQ(be32(&png[at + 12]), 180u);
    }
    if (type == "IDAT")
      idat_bytes = len;
    at += 12 + len;
  }
  EXPECT_EQ(at, png.size());
  ASSERT_EQ(types.size(), 3u);
  EXPECT_EQ(types.front(), "IHDR");
  EXPECT_EQ(types.back(), "IEND");
  // Stored deflate: 2-byte zlib header, 5 bytes per block, raw scanlines, Adler-32.
  const size_t raw = 180 * (1 + 3 * 130);
  EXPECT_EQ(idat_bytes, 2 + 5 * ((raw + 65534) / 65535) + raw + 4);
}

}  // namespace
}  // namespace pf::host::gamestream
