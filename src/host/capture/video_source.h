// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/status.h"
#include "host/capture/frame.h"

namespace pf::host {

// Where a session's pictures come from: a display grabbed with XShm, a
// compositor's PipeWire stream, or the synthetic test pattern. The capture
// thread (capture_thread.h) drives one source and hands its frames to the
// encoder. Thread model: one thread at a time.
class VideoSource {
 public:
  virtual ~VideoSource() = default;

  virtual int width() const = 0;
  virtual int height() const = 0;
  // For logs and status: "X11 :3 (XShm)", "synthetic pattern", ...
  virtual std::string describe() const = 0;

  // Fills `out` (reusing its buffers) with the current picture as frame
  // `index`, captured at `capture_time_ns` on the host's monotonic clock.
  virtual Status capture(uint32_t index, int64_t capture_time_ns, YuvFrame& out) = 0;

  // For a client that draws the pointer itself: leaves it out of the
  // picture from now on and reports it in each frame's `cursor`. False when
  // this source cannot (the pointer stays in the picture, `cursor` empty).
  virtual bool separate_cursor() { return false; }

  // Its pictures' HDR metadata when they are HDR (10-bit BT.2020 PQ frames);
  // nullopt for SDR. Desktop captures are SDR; the synthetic source can be HDR.
  virtual std::optional<HdrMetadata> hdr_metadata() const { return std::nullopt; }
};

}  // namespace pf::host
