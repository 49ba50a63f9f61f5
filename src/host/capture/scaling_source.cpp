// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/capture/scaling_source.h"

#include <fmt/format.h>
#include <libyuv/scale.h>

namespace pf::host {

ScalingSource::ScalingSource(std::unique_ptr<VideoSource> inner, int width, int height)
    : inner_(std::move(inner)), width_(width), height_(height) {}

std::string ScalingSource::describe() const {
  return fmt::format("{} scaled from {}x{}", inner_->describe(), inner_->width(), inner_->height());
}

Status ScalingSource::capture(uint32_t index, int64_t capture_time_ns, YuvFrame& out) {
  native_.chroma = out.chroma;
  if (auto st = inner_->capture(index, capture_time_ns, native_); !st.is_ok())
    return st;
  if (native_.bit_depth != 8)
    return Status(StatusCode::kUnimplemented, "scaling 10-bit pictures is not supported");
  out.allocate(width_, height_);
  out.index = native_.index;
  out.capture_time_ns = native_.capture_time_ns;
  out.cursor = native_.cursor;  // the pointer's position scales with the picture
  if (native_.width > 0 && native_.height > 0) {
    out.cursor.x = static_cast<int>(int64_t{native_.cursor.x} * width_ / native_.width);
    out.cursor.y = static_cast<int>(int64_t{native_.cursor.y} * height_ / native_.height);
  }
  const auto scale = native_.full_chroma() ? libyuv::I444Scale : libyuv::I420Scale;
  const int rc = scale(native_.y.data(), native_.width, native_.u.data(), native_.chroma_width(),
                       native_.v.data(), native_.chroma_width(), native_.width, native_.height,
                       out.y.data(), out.width, out.u.data(), out.chroma_width(), out.v.data(),
                       out.chroma_width(), out.width, out.height, libyuv::kFilterBilinear);
  if (rc != 0)
    return Status(StatusCode::kInternal, "libyuv could not scale the picture");
  return Status::ok();
}

std::unique_ptr<VideoSource> fit_to_session(std::unique_ptr<VideoSource> source,
                                            int width,
                                            int height) {
  if (source->width() == width && source->height() == height)
    return source;
  return std::make_unique<ScalingSource>(std::move(source), width, height);
}

}  // namespace pf::host
