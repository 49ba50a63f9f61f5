// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/native/chroma_checker.h"

#include <cstdlib>

namespace pf::proto::native {
namespace {

bool red_at(int x, int y) {
  return ((x + y) & 1) == 0;
}

}  // namespace

void write_chroma_checker(const YuvPlanes& p) {
  if (p.width < kCheckerMinWidth || p.height < kCheckerMinHeight)
    return;
  for (int y = kCheckerY; y < kCheckerY + kCheckerHeight; ++y)
    for (int x = kCheckerX; x < kCheckerX + kCheckerWidth; ++x)
      p.y[static_cast<size_t>(y) * p.y_stride + x] = red_at(x, y) ? kRedY : kBlueY;
  const int n = 1 << p.chroma_shift;  // pixels per chroma sample, each way
  for (int cy = kCheckerY / n; cy < (kCheckerY + kCheckerHeight) / n; ++cy)
    for (int cx = kCheckerX / n; cx < (kCheckerX + kCheckerWidth) / n; ++cx) {
      int u = 0, v = 0;
      for (int dy = 0; dy < n; ++dy)
        for (int dx = 0; dx < n; ++dx) {
          const bool red = red_at(cx * n + dx, cy * n + dy);
          u += red ? kRedU : kBlueU;
          v += red ? kRedV : kBlueV;
        }
      const int area = n * n;
      p.u[static_cast<size_t>(cy) * p.u_stride + cx] = static_cast<uint8_t>((u + area / 2) / area);
      p.v[static_cast<size_t>(cy) * p.v_stride + cx] = static_cast<uint8_t>((v + area / 2) / area);
    }
}

std::optional<ChromaCheckerReading> read_chroma_checker(const uint8_t* u,
                                                        int u_stride,
                                                        const uint8_t* v,
                                                        int v_stride,
                                                        int width,
                                                        int height,
                                                        int chroma_shift) {
  if (width < kCheckerMinWidth || height < kCheckerMinHeight || !u || !v || chroma_shift < 0 ||
      chroma_shift > 1)
    return std::nullopt;
  // Inside the region by a pixel each way: a codec's block edges are not the point.
  int64_t sum = 0, pairs = 0;
  for (int y = kCheckerY + 1; y < kCheckerY + kCheckerHeight - 1; ++y) {
    const uint8_t* ur = u + static_cast<size_t>(y >> chroma_shift) * u_stride;
    const uint8_t* vr = v + static_cast<size_t>(y >> chroma_shift) * v_stride;
    for (int x = kCheckerX + 1; x + 1 < kCheckerX + kCheckerWidth - 1; ++x) {
      const int a = x >> chroma_shift, b = (x + 1) >> chroma_shift;
      sum += std::abs(ur[a] - ur[b]) + std::abs(vr[a] - vr[b]);
      ++pairs;
    }
  }
  const double contrast = static_cast<double>(sum) / static_cast<double>(pairs);
  return ChromaCheckerReading{contrast, contrast >= kFullChromaContrast};
}

}  // namespace pf::proto::native
