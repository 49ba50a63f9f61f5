// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/capture/session_source.h"

#include <fmt/format.h>

#include "host/capture/pw_video_capture.h"
#include "host/capture/synthetic_source.h"
#include "host/capture/wlr_screencopy_capture.h"
#include "host/capture/x11_capture.h"
#include "host/vdisplay/mutter_display.h"
#include "host/vdisplay/sway_display.h"

namespace pf::host {

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
    else if ((*cap)->width() != width || (*cap)->height() != height)
      fallback_reason = fmt::format("output {} is {}x{}, the session asked for {}x{}", *output,
                                    (*cap)->width(), (*cap)->height(), width, height);
    else
      return std::move(*cap);
  } else if (auto cap = X11Capture::open(display); !cap) {
    fallback_reason = cap.error().message();
  } else if ((*cap)->width() != width || (*cap)->height() != height) {
    fallback_reason = fmt::format("display {} is {}x{}, the session asked for {}x{}", display,
                                  (*cap)->width(), (*cap)->height(), width, height);
  } else {
    return std::move(*cap);
  }
  return std::make_unique<SyntheticSource>(width, height);
}

}  // namespace pf::host
