// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/capture/synthetic_source.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "proto/native/chroma_checker.h"
#include "proto/native/frame_barcode.h"

namespace pf::host {

SyntheticSource::SyntheticSource(int width, int height, bool hdr)
    : width_(width), height_(height), hdr_(hdr) {}

void SyntheticSource::render(uint32_t index, int64_t capture_time_ns, YuvFrame& frame) const {
  frame.bit_depth = hdr_ ? 10 : 8;
  frame.allocate(width_, height_);
  frame.index = index;
  frame.capture_time_ns = capture_time_ns;
  if (hdr_) {
    frame.hdr = kHdrMetadata;
    render_hdr(index, frame);
    return;
  }
  frame.hdr.reset();
  const int bar_rows = height_ >= 2 * kBarcodeRows && width_ >= kBarcodeBits ? kBarcodeRows : 0;
  proto::native::write_frame_barcode(frame.y.data(), width_, height_, width_, index);
  for (int row = bar_rows; row < height_; ++row) {
    uint8_t* line = frame.y.data() + static_cast<size_t>(row) * width_;
    const uint32_t phase = index * 4u;  // wraps harmlessly for huge indices
    for (int x = 0; x < width_; ++x)
      line[x] = static_cast<uint8_t>(16 + (static_cast<uint32_t>(x + row) + phase) % 220u);
  }
  // Chroma changes by row only: a 4:4:4 frame's rows repeat a 4:2:0 frame's.
  const int cw = frame.chroma_width();
  const int ch = frame.chroma_height();
  const int shift = frame.full_chroma() ? 0 : 1;
  for (int row = 0; row < ch; ++row) {
    const uint32_t r = static_cast<uint32_t>(row >> (1 - shift));
    std::memset(frame.u.data() + static_cast<size_t>(row) * cw,
                static_cast<uint8_t>(64 + (r + index) % 128u), cw);
    std::memset(frame.v.data() + static_cast<size_t>(row) * cw,
                static_cast<uint8_t>(192 - (r + index) % 128u), cw);
  }
  proto::native::write_chroma_checker(
      {frame.y.data(), frame.u.data(), frame.v.data(), width_, cw, cw, width_, height_, shift});
}

// 10-bit samples: the 8-bit pattern's luma times 4 (so its top 8 bits are the
// 8-bit barcode) under a gradient over 64..940, chroma as the 8-bit rows times 4.
void SyntheticSource::render_hdr(uint32_t index, YuvFrame& frame) const {
  thread_local std::vector<uint8_t> bars;
  bars.assign(static_cast<size_t>(width_) * kBarcodeRows, 16);
  proto::native::write_frame_barcode(bars.data(), width_, height_, width_, index);
  const int bar_rows = height_ >= 2 * kBarcodeRows && width_ >= kBarcodeBits ? kBarcodeRows : 0;
  auto* y = reinterpret_cast<uint16_t*>(frame.y.data());
  for (int row = 0; row < height_; ++row) {
    uint16_t* line = y + static_cast<size_t>(row) * width_;
    const uint32_t phase = index * 16u;
    for (int x = 0; x < width_; ++x)
      line[x] =
          row < bar_rows
              ? static_cast<uint16_t>(bars[static_cast<size_t>(row) * width_ + x] * 4)
              : static_cast<uint16_t>(64 + (static_cast<uint32_t>(4 * (x + row)) + phase) % 877u);
  }
  const int cw = frame.chroma_width();
  const int shift = frame.full_chroma() ? 0 : 1;
  auto* u = reinterpret_cast<uint16_t*>(frame.u.data());
  auto* v = reinterpret_cast<uint16_t*>(frame.v.data());
  for (int row = 0; row < frame.chroma_height(); ++row) {
    const uint32_t r = static_cast<uint32_t>(row >> (1 - shift));
    std::fill_n(u + static_cast<size_t>(row) * cw, cw,
                static_cast<uint16_t>(4 * (64 + (r + index) % 128u)));
    std::fill_n(v + static_cast<size_t>(row) * cw, cw,
                static_cast<uint16_t>(4 * (192 - (r + index) % 128u)));
  }
}

}  // namespace pf::host
