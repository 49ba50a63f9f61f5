// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/capture/rgb_to_yuv.h"

#include <vector>

#include <libyuv/convert.h>
#include <libyuv/convert_argb.h>
#include <libyuv/convert_from_argb.h>

namespace pf::host {
namespace {

// libyuv has no R,G,B,x -> I444: each row is swizzled to B,G,R,x first.
int rgbx_to_i444(const uint8_t* src, int stride, YuvFrame& out) {
  thread_local std::vector<uint8_t> row;
  row.resize(static_cast<size_t>(out.width) * 4);
  for (int y = 0; y < out.height; ++y) {
    const uint8_t* line = src + static_cast<ptrdiff_t>(y) * stride;
    const size_t at = static_cast<size_t>(y) * out.width;
    if (libyuv::ABGRToARGB(line, 0, row.data(), 0, out.width, 1) != 0 ||
        libyuv::ARGBToI444(row.data(), 0, out.y.data() + at, 0, out.u.data() + at, 0,
                           out.v.data() + at, 0, out.width, 1) != 0)
      return -1;
  }
  return 0;
}

}  // namespace

Status rgbx_to_yuv(const uint8_t* src, int stride, RgbxOrder order, YuvFrame& out) {
  const size_t luma = static_cast<size_t>(out.width) * out.height;
  const size_t chroma = static_cast<size_t>(out.chroma_width()) * out.chroma_height();
  if (src == nullptr || out.bit_depth != 8 || out.width <= 0 || out.height <= 0 ||
      out.y.size() < luma || out.u.size() < chroma || out.v.size() < chroma)
    return Status(StatusCode::kInvalidArgument, "the frame is not allocated for the picture");
  const int w = out.width, h = out.height, cw = out.chroma_width();
  int rc = -1;
  if (out.full_chroma())
    rc = order == RgbxOrder::kBgrx ? libyuv::ARGBToI444(src, stride, out.y.data(), w, out.u.data(),
                                                        cw, out.v.data(), cw, w, h)
                                   : rgbx_to_i444(src, stride, out);
  else
    rc = order == RgbxOrder::kBgrx ? libyuv::ARGBToI420(src, stride, out.y.data(), w, out.u.data(),
                                                        cw, out.v.data(), cw, w, h)
                                   : libyuv::ABGRToI420(src, stride, out.y.data(), w, out.u.data(),
                                                        cw, out.v.data(), cw, w, h);
  if (rc != 0)
    return Status(StatusCode::kInternal, "libyuv could not convert the picture");
  return Status::ok();
}

}  // namespace pf::host
