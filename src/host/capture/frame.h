// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <vector>

namespace pf::host {

// A captured frame in I420 (planar Y, U, V; chroma at half resolution).
// Thread model: a value type; the pipeline hands it from thread to thread.
struct I420Frame {
  int width = 0;
  int height = 0;
  uint32_t index = 0;           // from 1
  int64_t capture_time_ns = 0;  // on the host's monotonic clock
  std::vector<uint8_t> y, u, v;

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
