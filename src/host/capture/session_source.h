// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "base/status.h"
#include "host/capture/video_source.h"

namespace pf::host {

// How a streamer gets its session's picture without knowing the display:
// the session hands it this (VirtualDisplay::open_capture bound to its
// display). Empty = the session has no display.
using CaptureOpener =
    std::function<Result<std::unique_ptr<VideoSource>>(int width, int height, int fps)>;

// The picture a session of `width` x `height` at `fps` streams: what `open`
// yields, else the synthetic pattern (no display, or it cannot be captured),
// with the reason in `fallback_reason` (empty when the display was opened).
// `hdr`: a session that streams HDR; its synthetic pattern is the HDR one (a
// display's capture stays SDR: VideoSource::hdr_metadata says which it got).
std::unique_ptr<VideoSource> open_session_source(const CaptureOpener& open,
                                                 int width,
                                                 int height,
                                                 int fps,
                                                 std::string& fallback_reason,
                                                 bool hdr = false);

}  // namespace pf::host
