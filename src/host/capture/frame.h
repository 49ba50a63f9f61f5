// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
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

// A captured frame in I420 (planar Y, U, V; chroma at half resolution).
// Thread model: a value type; the pipeline hands it from thread to thread.
struct I420Frame {
  int width = 0;
  int height = 0;
  uint32_t index = 0;           // from 1
  int64_t capture_time_ns = 0;  // on the host's monotonic clock
  std::vector<uint8_t> y, u, v;
  FrameCursor cursor;

  void allocate(int w, int h) {
    width = w;
    height = h;
    y.resize(static_cast<size_t>(w) * h);
    u.resize(static_cast<size_t>((w + 1) / 2) * ((h + 1) / 2));
    v.resize(u.size());
  }
  int chroma_width() const { return (width + 1) / 2; }
  int chroma_height() const { return (height + 1) / 2; }
};

}  // namespace pf::host
