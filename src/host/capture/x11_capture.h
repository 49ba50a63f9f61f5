// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/status.h"
#include "host/capture/frame.h"
#include "host/capture/video_source.h"

namespace pf::host {

// Captures an X display's root window with MIT-SHM (one XShmGetImage per
// frame into a shared segment, no copy through the socket) and converts it to
// YUV (4:2:0, or 4:4:4 when the frame asks) with libyuv (AVX2): the one colour
// conversion of the pipeline. Also draws a YUV frame into the display (XShmPutImage), which the
// spike and tests use to put a known picture on a headless display. The pointer is not part of an X
// server's image: with `draw_cursor` (and the XFIXES extension) the current cursor image is blended
// in at the pointer, as the user sees it. Thread model: one thread.
class X11Capture : public VideoSource {
 public:
  static Result<std::unique_ptr<X11Capture>> open(const std::string& display,
                                                  bool draw_cursor = true);
  ~X11Capture() override;

  int width() const override;
  int height() const override;
  std::string describe() const override;
  // Grabs the root window into `out` (reusing its buffers).
  Status capture(uint32_t index, int64_t capture_time_ns, YuvFrame& out) override;
  // Draws `frame` (same size as the display) onto the root window.
  Status draw(const YuvFrame& frame);
  // Whether captures include the cursor (asked for, and XFIXES is there).
  bool draws_cursor() const;
  // With XFIXES: no pointer in the picture; each frame's `cursor` says where
  // it is and carries its image (scaled to fit 256x256).
  bool separate_cursor() override;

 private:
  struct Impl;
  explicit X11Capture(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace pf::host
