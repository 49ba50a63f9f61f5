// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "host/capture/video_source.h"
#include "host/input/input_injector.h"

// How any X display is reached, whoever owns its server (XvfbDisplay, the
// user's desktop in X11DesktopDisplay): XShm capture scaled to the session,
// XTest input.
namespace pf::host {

Result<std::unique_ptr<VideoSource>> open_x11_capture(const std::string& address,
                                                      int width,
                                                      int height);
Result<std::unique_ptr<InputInjector>> open_x11_input(const std::string& address);

}  // namespace pf::host
