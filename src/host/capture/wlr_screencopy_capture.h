// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "base/status.h"
#include "host/capture/frame.h"
#include "host/capture/video_source.h"

namespace pf::host {

// Captures one output of a wlroots compositor (sway) with the screencopy
// protocol into a shared-memory buffer the compositor fills (wl_shm, no copy
// through the socket; the cursor composited in), then converts it to YUV
// with libyuv: the one colour conversion of the pipeline. Each capture asks
// for the output's next frame, so it waits at most one refresh; the frame is
// stamped with the time the compositor showed it (its presentation time on
// the monotonic clock), so latency figures count from the picture, not from
// the request.
// Thread model: one thread.
class WlrScreencopyCapture : public VideoSource {
 public:
  // `socket`: the compositor's Wayland socket (name or absolute path; empty =
  // $WAYLAND_DISPLAY); `output`: its name, e.g. "HEADLESS-2".
  static Result<std::unique_ptr<WlrScreencopyCapture>> open(
      const std::string& socket,
      const std::string& output,
      std::chrono::milliseconds timeout = std::chrono::seconds(2));
  ~WlrScreencopyCapture() override;

  int width() const override;
  int height() const override;
  std::string describe() const override;
  // The output's next frame into `out`. An output that changed size since
  // open() is an error (the session's display was resized under it).
  Status capture(uint32_t index, int64_t capture_time_ns, YuvFrame& out) override;

 private:
  struct Impl;
  explicit WlrScreencopyCapture(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace pf::host
