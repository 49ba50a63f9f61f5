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
// receiver can tell which frame it decoded even after lossy compression, and a
// 1-pixel red/blue checker below it (proto/native/chroma_checker.h) that only
// full chroma keeps.
//
// With `hdr`, the HDR test source: the same pattern as 10-bit BT.2020 + PQ
// pictures (the barcode at 10-bit black and white, whose top 8 bits read as
// the 8-bit ones; the gradient over PQ's whole range) carrying kHdrMetadata,
// so HDR is tested end to end without an HDR desktop. The checker is drawn
// into 8-bit pictures only.
// Thread model: not thread-safe; owned by one capture thread.
class SyntheticSource : public VideoSource {
 public:
  SyntheticSource(int width, int height, bool hdr = false);

  int width() const override { return width_; }
  int height() const override { return height_; }
  std::optional<HdrMetadata> hdr_metadata() const override {
    return hdr_ ? std::optional<HdrMetadata>(kHdrMetadata) : std::nullopt;
  }
  std::string describe() const override {
    return hdr_ ? "synthetic pattern (HDR: 10-bit BT.2020 PQ)" : "synthetic pattern";
  }
  Status capture(uint32_t index, int64_t capture_time_ns, YuvFrame& out) override {
    render(index, capture_time_ns, out);
    return Status::ok();
  }

  // Renders frame `index` (from 1) into `frame`, reusing its buffers.
  void render(uint32_t index, int64_t capture_time_ns, YuvFrame& frame) const;

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

  // The HDR source's mastering display and light levels: BT.2020 primaries,
  // D65 white, 1000 / 0.005 cd/m2, MaxCLL 1000, MaxFALL 400.
  static constexpr HdrMetadata kHdrMetadata{35400, 14600, 8500, 39850, 6550, 2300,
                                            15635, 16450, 1000, 50,    1000, 400};

 private:
  void render_hdr(uint32_t index, YuvFrame& frame) const;

  int width_;
  int height_;
  bool hdr_;
};

}  // namespace pf::host
