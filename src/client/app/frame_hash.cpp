// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/app/frame_hash.h"

namespace pf::client {

uint64_t picture_hash(const DecodedPicture& p) {
  uint64_t h = 1469598103934665603ull;
  const auto plane = [&h](const uint8_t* data, int stride, int w, int rows) {
    if (!data)
      return;
    for (int y = 0; y < rows; ++y)
      for (int x = 0; x < w; ++x) {
        h ^= data[static_cast<ptrdiff_t>(y) * stride + x];
        h *= 1099511628211ull;
      }
  };
  plane(p.luma, p.luma_stride, p.width, p.height);
  if (p.full_u && p.full_v) {  // a 4:4:4 stream: every pixel's own colour
    plane(p.full_u, p.full_u_stride, p.width, p.height);
    plane(p.full_v, p.full_v_stride, p.width, p.height);
    return h;
  }
  plane(p.u, p.u_stride, (p.width + 1) / 2, (p.height + 1) / 2);
  plane(p.v, p.v_stride, (p.width + 1) / 2, (p.height + 1) / 2);
  return h;
}

ColourSample colour_sample(const DecodedPicture& p) {
  ColourSample s;
  if (!p.luma || p.width <= 0 || p.height <= 0)
    return s;
  const int x = p.width / 4, y = p.height / 4;
  s.y = p.luma[static_cast<ptrdiff_t>(y) * p.luma_stride + x];
  if (p.u && p.v) {
    s.u = p.u[static_cast<ptrdiff_t>(y / 2) * p.u_stride + x / 2];
    s.v = p.v[static_cast<ptrdiff_t>(y / 2) * p.v_stride + x / 2];
  }
  return s;
}

std::optional<proto::native::ChromaCheckerReading> picture_chroma_checker(const DecodedPicture& p) {
  if (p.full_u && p.full_v)
    return proto::native::read_chroma_checker(p.full_u, p.full_u_stride, p.full_v, p.full_v_stride,
                                              p.width, p.height, 0);
  return proto::native::read_chroma_checker(p.u, p.u_stride, p.v, p.v_stride, p.width, p.height, 1);
}

}  // namespace pf::client
