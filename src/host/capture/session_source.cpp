// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/capture/session_source.h"

#include <fmt/format.h>

#include "host/capture/pw_video_capture.h"
#include "host/capture/scaling_source.h"
#include "host/capture/synthetic_source.h"
#include "host/capture/wlr_screencopy_capture.h"
#include "host/capture/x11_capture.h"
#include "host/vdisplay/mutter_display.h"
#include "host/vdisplay/sway_display.h"

namespace pf::host {

namespace {

// A display of another size than the session's (the user's desktop kept as
// it is) is scaled to it.
std::unique_ptr<VideoSource> fit(std::unique_ptr<VideoSource> source, int width, int height) {
  if (source->width() == width && source->height() == height)
    return source;
  return std::make_unique<ScalingSource>(std::move(source), width, height);
}

}  // namespace

std::unique_ptr<VideoSource> open_session_source(const std::string& display,
                                                 int width,
                                                 int height,
                                                 int fps,
                                                 std::string& fallback_reason) {
  fallback_reason.clear();
  if (display.empty()) {
    fallback_reason = "no display for this session";
  } else if (auto node = pipewire_node_of(display)) {
    auto cap = PwVideoCapture::open(*node, width, height, fps, std::chrono::seconds(5));
    if (cap)
      return std::move(*cap);
    fallback_reason = cap.error().message();
  } else if (auto output = wayland_output_of(display)) {
    auto cap = WlrScreencopyCapture::open({}, *output);
    if (!cap)
      fallback_reason = cap.error().message();
    else
      return fit(std::move(*cap), width, height);
  } else if (auto cap = X11Capture::open(display); !cap) {
    fallback_reason = cap.error().message();
  } else {
    return fit(std::move(*cap), width, height);
  }
  return std::make_unique<SyntheticSource>(width, height);
}

}  // namespace pf::host
