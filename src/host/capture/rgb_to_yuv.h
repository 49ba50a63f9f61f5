// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>

#include "base/status.h"
#include "host/capture/frame.h"

namespace pf::host {

// The byte order of a captured 32-bit pixel in memory.
enum class RgbxOrder {
  kBgrx,  // B, G, R, x: X11, wl_shm [AX]RGB8888, SPA BGRx (libyuv's "ARGB")
  kRgbx,  // R, G, B, x: wl_shm [AX]BGR8888, SPA RGBx (libyuv's "ABGR")
};

// The one colour conversion of the capture path: a width x height picture of
// 32-bit pixels (`stride` bytes a row; negative for bottom-up) into `out`'s
// planes at the chroma sampling `out` already has (4:2:0 averages each 2x2
// block's colour, 4:4:4 keeps every pixel's). `out` must be allocated at
// width x height. BT.601 limited range, with libyuv's SIMD rows.
Status rgbx_to_yuv(const uint8_t* src, int stride, RgbxOrder order, YuvFrame& out);

}  // namespace pf::host
