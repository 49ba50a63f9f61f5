// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <optional>

#include "host/capture/frame.h"
#include "host/capture/video_source.h"
#include "proto/native/frame_barcode.h"

namespace pf::host {

// A synthetic video source: a moving gradient plus a barcode in the top rows
// that encodes the frame index (32 bars, black = 0, white = 1, MSB first), so a
// receiver can tell which frame it decoded even after lossy compression.
// Thread model: not thread-safe; owned by one capture thread.
class SyntheticSource : public VideoSource {
 public:
  SyntheticSource(int width, int height);

  int width() const override { return width_; }
  int height() const override { return height_; }
  std::string describe() const override { return "synthetic pattern"; }
  Status capture(uint32_t index, int64_t capture_time_ns, I420Frame& out) override {
    render(index, capture_time_ns, out);
    return Status::ok();
  }

  // Renders frame `index` (from 1) into `frame`, reusing its buffers.
  void render(uint32_t index, int64_t capture_time_ns, I420Frame& frame) const;

  // Reads the barcode back from a luma plane; nullopt if it is unreadable
  // (proto/native/frame_barcode.h, shared with clients and tools).
  static std::optional<uint32_t> read_barcode(const uint8_t* luma,
                                              int width,
                                              int height,
                                              int stride) {
    return proto::native::read_frame_barcode(luma, width, height, stride);
  }

  static constexpr int kBarcodeBits = proto::native::kBarcodeBits;
  static constexpr int kBarcodeRows = proto::native::kBarcodeRows;

 private:
  int width_;
  int height_;
};

}  // namespace pf::host
