// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "host/vdisplay/virtual_display.h"

namespace pf::host {

// The user's running X desktop ($DISPLAY) as every session's display,
// shared as it is: the desktop keeps its mode and the stream is scaled to
// the session's (ScalingSource), so nothing on the user's screens changes;
// input goes in with XTest as into the host's own Xvfb. It shares the whole
// desktop, so it is only used when chosen (`--display-backend x11`).
// Thread model: owned by one session; not thread-safe.
class X11DesktopDisplay : public VirtualDisplay {
 public:
  // Whether $DISPLAY is set and an X server answers there (with its size).
  static ProbeVerdict probe();
  // `mode`: what the session streams at.
  static Result<std::unique_ptr<X11DesktopDisplay>> open(const DisplayMode& mode);

  std::string backend() const override { return "x11"; }
  std::string address() const override { return display_; }
  DisplayMode mode() const override { return mode_; }
  // The session's new mode; the desktop itself is not touched.
  Status resize(const DisplayMode& mode) override;
  Result<std::unique_ptr<VideoSource>> open_capture(int width, int height, int fps) override;
  Result<std::unique_ptr<InputInjector>> open_input() override;
  std::vector<std::string> app_environment() const override;
  // The desktop's own size.
  int desktop_width() const { return desktop_w_; }
  int desktop_height() const { return desktop_h_; }

 private:
  X11DesktopDisplay() = default;
  std::string display_;
  DisplayMode mode_;
  int desktop_w_ = 0, desktop_h_ = 0;
};

}  // namespace pf::host
