// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>

// A 1-pixel red/blue checker that test sources draw below the frame-index
// barcode, to show whether a stream kept full chroma: at 4:4:4 every pixel
// keeps its own colour, so horizontally adjacent pixels differ by about 280 in
// U + V; at 4:2:0 each 2x2 block shares one (purple) colour and they do not
// differ at all. The host's synthetic source draws it; clients and tools read
// it from decoded pictures (tests of 4:4:4 end to end).
// Thread model: free functions.
namespace pf::proto::native {

// The checker's place: columns [kCheckerX, +kCheckerWidth), rows [kCheckerY,
// +kCheckerHeight), all even, a 64-pixel block row below the barcode (in a
// block of its own for codecs with 64x64 blocks: its detail must not cost the
// barcode its sharpness). Drawn only into pictures at least kCheckerMinWidth x
// kCheckerMinHeight.
inline constexpr int kCheckerX = 0, kCheckerY = 64;
inline constexpr int kCheckerWidth = 64, kCheckerHeight = 32;
inline constexpr int kCheckerMinWidth = 128, kCheckerMinHeight = 128;

// Planar 8-bit YUV, chroma subsampled by 2^shift in each direction (0 for
// 4:4:4, 1 for 4:2:0).
struct YuvPlanes {
  uint8_t* y;
  uint8_t* u;
  uint8_t* v;
  int y_stride, u_stride, v_stride;
  int width, height;
  int chroma_shift;
};

// BT.601 limited range, as libyuv converts pure red (255,0,0) and blue (0,0,255).
inline constexpr uint8_t kRedY = 82, kRedU = 90, kRedV = 240;
inline constexpr uint8_t kBlueY = 41, kBlueU = 240, kBlueV = 110;

// Draws red where (x + y) is even and blue elsewhere. With subsampled chroma
// each chroma sample gets the average of the pixels it covers, as a capture
// at 4:2:0 keeps it.
void write_chroma_checker(const YuvPlanes& picture);

struct ChromaCheckerReading {
  double contrast;   // mean |dU| + |dV| between horizontal neighbours: ~280 drawn, 0 lost
  bool full_chroma;  // contrast >= kFullChromaContrast
};
// Half the drawn contrast: a lossy codec softens the checker, 4:2:0 erases it.
inline constexpr double kFullChromaContrast = 140.0;

// Reads the checker region of a decoded picture (its chroma at the picture's
// own sampling, looked at pixel by pixel); nullopt when the picture is too small.
std::optional<ChromaCheckerReading> read_chroma_checker(const uint8_t* u,
                                                        int u_stride,
                                                        const uint8_t* v,
                                                        int v_stride,
                                                        int width,
                                                        int height,
                                                        int chroma_shift);

// Counts decoded pictures by what their checker showed. Thread model: one thread.
struct ChromaCheckerTally {
  void add(const std::optional<ChromaCheckerReading>& r) {
    if (!r)
      return;
    if (r->full_chroma)
      ++full;
    else
      ++lost;
    min_contrast = min_contrast < 0 ? r->contrast : std::min(min_contrast, r->contrast);
    max_contrast = std::max(max_contrast, r->contrast);
  }
  uint64_t full = 0, lost = 0;
  double min_contrast = -1, max_contrast = 0;
};

}  // namespace pf::proto::native
