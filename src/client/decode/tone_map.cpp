// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/decode/tone_map.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace pf::client {

double pq_code_to_nits(int code8) {
  constexpr double m1 = 2610.0 / 16384, m2 = 2523.0 / 4096 * 128;
  constexpr double c1 = 3424.0 / 4096, c2 = 2413.0 / 4096 * 32, c3 = 2392.0 / 4096 * 32;
  const double e = std::clamp((code8 - 16) / 219.0, 0.0, 1.0);
  const double p = std::pow(e, 1 / m2);
  return 10000.0 * std::pow(std::max(p - c1, 0.0) / (c2 - c3 * p), 1 / m1);
}

std::array<uint8_t, 256> pq_to_sdr_luma_table(int peak_nits) {
  constexpr double kSdrWhite = 203.0;
  const double peak = (peak_nits > 0 ? peak_nits : 1000) / kSdrWhite;
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const double x = pq_code_to_nits(c) / kSdrWhite;
    const double mapped = std::min(1.0, x * (1 + x / (peak * peak)) / (1 + x));
    t[static_cast<size_t>(c)] = static_cast<uint8_t>(16 + 219 * std::pow(mapped, 1 / 2.4) + 0.5);
  }
  return t;
}

void tone_map_luma(const std::array<uint8_t, 256>& table,
                   uint8_t* luma,
                   int stride,
                   int width,
                   int height) {
  for (int y = 0; y < height; ++y) {
    uint8_t* row = luma + static_cast<ptrdiff_t>(y) * stride;
    for (int x = 0; x < width; ++x)
      row[x] = table[row[x]];
  }
}

}  // namespace pf::client
