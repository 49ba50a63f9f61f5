// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <memory>
#include <string>

#include "host/capture/video_source.h"

namespace pf::host {

// The picture a session of `width` x `height` at `fps` streams: the session's
// display ("pipewire:<node>" captured over PipeWire, ":N" with XShm,
// "wayland:<output>" with wlr-screencopy), scaled to the session's size when
// it has another (the user's desktop kept as it is), else the synthetic
// pattern (no display, or it cannot be captured). `fallback_reason` gets why
// the pattern was chosen, or stays empty.
std::unique_ptr<VideoSource> open_session_source(const std::string& display,
                                                 int width,
                                                 int height,
                                                 int fps,
                                                 std::string& fallback_reason);

}  // namespace pf::host
