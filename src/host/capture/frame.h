// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace pf::host {

// The pointer's image, for a client that draws the pointer itself
// (punktfunk/1 cursor channel). Immutable once made; shared between frames.
struct CursorImage {
  uint32_t serial = 0;  // changes with the image
  int width = 0, height = 0, hotspot_x = 0, hotspot_y = 0;
  std::vector<uint8_t> rgba;  // straight alpha, rows top first
};

// Where the pointer was when a frame was captured. Filled only by a source
// asked to leave the pointer out of the picture (VideoSource::separate_cursor).
struct FrameCursor {
  bool present = false;  // the source reports the pointer (and left it out)
  bool visible = false;
  int x = 0, y = 0;  // the hotspot, in the frame's pixels (may lie outside)
  std::shared_ptr<const CursorImage> image;
};

// How a frame's chroma is sampled: 4:2:0 (U and V at half width and height,
// what every stream gets by default) or 4:4:4 (full resolution, for a client
// that asked for it: text and thin coloured lines keep their colour).
enum class ChromaSampling : uint8_t { k420, k444 };

// The static HDR metadata of a picture (SMPTE ST 2086 mastering display +
// CTA-861.3 content light levels), in the units both protocols carry:
// chromaticities in 1/50000, luminance in cd/m2 except the minimum (1/10000 cd/m2).
struct HdrMetadata {
  uint16_t red_x = 0, red_y = 0, green_x = 0, green_y = 0, blue_x = 0, blue_y = 0;
  uint16_t white_x = 0, white_y = 0;
  uint16_t max_luminance = 0;  // cd/m2
  uint16_t min_luminance = 0;  // 1/10000 cd/m2
  uint16_t max_cll = 0, max_fall = 0;
  friend bool operator==(const HdrMetadata&, const HdrMetadata&) = default;
};

// A captured frame in planar YUV, limited range: Y, then U and V at the
// resolution `chroma` says. 8 bits per sample (BT.601, SDR: every capture of a
// desktop) or 10 (BT.2020 + PQ, HDR: a source that makes HDR pictures, with its
// `hdr` metadata), each 10-bit sample a little-endian uint16 in the planes' bytes.
// A frame keeps its sampling across allocate(): whoever owns it (the capture
// ring) chooses the chroma, a source its bit depth, and every source converts
// into what it is given.
// Thread model: a value type; the pipeline hands it from thread to thread.
struct YuvFrame {
  int width = 0;
  int height = 0;
  ChromaSampling chroma = ChromaSampling::k420;
  int bit_depth = 8;            // 8, or 10 (HDR)
  uint32_t index = 0;           // from 1
  int64_t capture_time_ns = 0;  // on the host's monotonic clock
  std::vector<uint8_t> y, u, v;
  FrameCursor cursor;
  std::optional<HdrMetadata> hdr;  // with 10-bit HDR pictures

  void allocate(int w, int h) {
    width = w;
    height = h;
    y.resize(static_cast<size_t>(luma_stride()) * h);
    u.resize(static_cast<size_t>(chroma_stride()) * chroma_height());
    v.resize(u.size());
  }
  bool full_chroma() const { return chroma == ChromaSampling::k444; }
  int chroma_width() const { return full_chroma() ? width : (width + 1) / 2; }
  int chroma_height() const { return full_chroma() ? height : (height + 1) / 2; }
  int bytes_per_sample() const { return bit_depth > 8 ? 2 : 1; }
  int luma_stride() const { return width * bytes_per_sample(); }  // bytes per row
  int chroma_stride() const { return chroma_width() * bytes_per_sample(); }
};

}  // namespace pf::host
