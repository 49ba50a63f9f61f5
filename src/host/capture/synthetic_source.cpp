// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/capture/synthetic_source.h"

#include <cstring>

namespace pf::host {

SyntheticSource::SyntheticSource(int width, int height) : width_(width), height_(height) {}

void SyntheticSource::render(uint32_t index, int64_t capture_time_ns, I420Frame& frame) const {
  if (frame.width != width_ || frame.height != height_)
    frame.allocate(width_, height_);
  frame.index = index;
  frame.capture_time_ns = capture_time_ns;
  const int bar_width = width_ / kBarcodeBits;
  const int bar_rows = height_ >= 2 * kBarcodeRows ? kBarcodeRows : 0;
  for (int row = 0; row < height_; ++row) {
    uint8_t* line = frame.y.data() + static_cast<size_t>(row) * width_;
    if (row < bar_rows && bar_width > 0) {
      for (int x = 0; x < width_; ++x) {
        int bit = x / bar_width;
        bool one = bit < kBarcodeBits && ((index >> (kBarcodeBits - 1 - bit)) & 1u);
        line[x] = one ? 235 : 16;
      }
      continue;
    }
    const uint32_t phase = index * 4u;  // wraps harmlessly for huge indices
    for (int x = 0; x < width_; ++x)
      line[x] = static_cast<uint8_t>(16 + (static_cast<uint32_t>(x + row) + phase) % 220u);
  }
  const int cw = frame.chroma_width();
  const int ch = frame.chroma_height();
  for (int row = 0; row < ch; ++row) {
    std::memset(frame.u.data() + static_cast<size_t>(row) * cw,
                static_cast<uint8_t>(64 + (static_cast<uint32_t>(row) + index) % 128u), cw);
    std::memset(frame.v.data() + static_cast<size_t>(row) * cw,
                static_cast<uint8_t>(192 - (static_cast<uint32_t>(row) + index) % 128u), cw);
  }
}

std::optional<uint32_t> SyntheticSource::read_barcode(const uint8_t* luma,
                                                      int width,
                                                      int height,
                                                      int stride) {
  const int bar_width = width / kBarcodeBits;
  if (bar_width < 2 || height < 2 * kBarcodeRows)
    return std::nullopt;
  const uint8_t* line = luma + static_cast<size_t>(kBarcodeRows / 2) * stride;
  uint32_t value = 0;
  for (int bit = 0; bit < kBarcodeBits; ++bit) {
    int sum = 0;
    int x0 = bit * bar_width + bar_width / 4;
    int x1 = bit * bar_width + (3 * bar_width) / 4;
    for (int x = x0; x < x1; ++x)
      sum += line[x];
    int mean = sum / (x1 - x0);
    if (mean > 100 && mean < 150)
      return std::nullopt;  // neither black nor white
    value = (value << 1) | (mean >= 150 ? 1u : 0u);
  }
  return value;
}

}  // namespace pf::host
