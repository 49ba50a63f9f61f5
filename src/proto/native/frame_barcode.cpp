// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/native/frame_barcode.h"

namespace pf::proto::native {

void write_frame_barcode(uint8_t* luma, int width, int height, int stride, uint32_t index) {
  const int bar_width = width / kBarcodeBits;
  if (bar_width < 1 || height < 2 * kBarcodeRows)
    return;
  for (int row = 0; row < kBarcodeRows; ++row) {
    uint8_t* line = luma + static_cast<size_t>(row) * stride;
    for (int x = 0; x < width; ++x) {
      const int bit = x / bar_width;
      const bool one = bit < kBarcodeBits && ((index >> (kBarcodeBits - 1 - bit)) & 1u);
      line[x] = one ? 235 : 16;
    }
  }
}

std::optional<uint32_t> read_frame_barcode(const uint8_t* luma, int width, int height, int stride) {
  const int bar_width = width / kBarcodeBits;
  if (bar_width < 2 || height < 2 * kBarcodeRows)
    return std::nullopt;
  const uint8_t* line = luma + static_cast<size_t>(kBarcodeRows / 2) * stride;
  uint32_t value = 0;
  for (int bit = 0; bit < kBarcodeBits; ++bit) {
    int sum = 0;
    const int x0 = bit * bar_width + bar_width / 4;
    const int x1 = bit * bar_width + (3 * bar_width) / 4;
    for (int x = x0; x < x1; ++x)
      sum += line[x];
    const int mean = sum / (x1 - x0);
    if (mean > 100 && mean < 150)
      return std::nullopt;  // neither black nor white
    value = (value << 1) | (mean >= 150 ? 1u : 0u);
  }
  return value;
}

}  // namespace pf::proto::native
