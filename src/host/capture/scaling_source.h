// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <memory>
#include <string>

#include "host/capture/video_source.h"

namespace pf::host {

// A source of another size than the session's (the user's desktop as it is,
// a monitor a portal shares) brought to the session's size: the inner source
// captures into a frame of its own size, which is scaled (bilinear, libyuv)
// into the session's frame. One more pass over the picture than a display of
// the right size costs; used only when the sizes differ.
// Thread model: one thread (like the inner source).
class ScalingSource : public VideoSource {
 public:
  ScalingSource(std::unique_ptr<VideoSource> inner, int width, int height);

  int width() const override { return width_; }
  int height() const override { return height_; }
  std::string describe() const override;
  Status capture(uint32_t index, int64_t capture_time_ns, YuvFrame& out) override;
  bool separate_cursor() override { return inner_->separate_cursor(); }

 private:
  std::unique_ptr<VideoSource> inner_;
  int width_, height_;
  YuvFrame native_;
};

// `source` as it is when it has the session's size, else scaled to it.
std::unique_ptr<VideoSource> fit_to_session(std::unique_ptr<VideoSource> source,
                                            int width,
                                            int height);

}  // namespace pf::host
