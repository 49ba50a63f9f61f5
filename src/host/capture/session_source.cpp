// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/capture/session_source.h"

#include <fmt/format.h>

#include "host/capture/synthetic_source.h"
#include "host/capture/x11_capture.h"

namespace pf::host {

std::unique_ptr<VideoSource> open_session_source(const std::string& display,
                                                 int width,
                                                 int height,
                                                 std::string& fallback_reason) {
  fallback_reason.clear();
  if (display.empty()) {
    fallback_reason = "no display for this session";
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
