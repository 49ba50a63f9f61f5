// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/capture/session_source.h"

#include "host/capture/synthetic_source.h"

namespace pf::host {

std::unique_ptr<VideoSource> open_session_source(const CaptureOpener& open,
                                                 int width,
                                                 int height,
                                                 int fps,
                                                 std::string& fallback_reason,
                                                 bool hdr) {
  fallback_reason.clear();
  if (!open) {
    fallback_reason = "no display for this session";
  } else if (auto source = open(width, height, fps)) {
    return std::move(*source);
  } else {
    fallback_reason = source.error().message();
  }
  return std::make_unique<SyntheticSource>(width, height, hdr);
}

}  // namespace pf::host
