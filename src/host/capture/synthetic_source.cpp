// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/capture/synthetic_source.h"

#include <cstring>

#include "proto/native/frame_barcode.h"

namespace pf::host {

SyntheticSource::SyntheticSource(int width, int height) : width_(width), height_(height) {}

void SyntheticSource::render(uint32_t index, int64_t capture_time_ns, I420Frame& frame) const {
  if (frame.width != width_ || frame.height != height_)
    frame.allocate(width_, height_);
  frame.index = index;
  frame.capture_time_ns = capture_time_ns;
  const int bar_rows = height_ >= 2 * kBarcodeRows && width_ >= kBarcodeBits ? kBarcodeRows : 0;
  proto::native::write_frame_barcode(frame.y.data(), width_, height_, width_, index);
  for (int row = bar_rows; row < height_; ++row) {
    uint8_t* line = frame.y.data() + static_cast<size_t>(row) * width_;
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

}  // namespace pf::host
