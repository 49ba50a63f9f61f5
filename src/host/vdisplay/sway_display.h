// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "base/status.h"
#include "host/vdisplay/virtual_display.h"

namespace pf::host {

// A headless output of a running sway (the user's session started with the
// headless backend next to its own, e.g. WLR_BACKENDS=drm,libinput,headless,
// or a `sway` run with WLR_BACKENDS=headless for the host alone), made with
// sway's IPC ($SWAYSOCK): `create_output`, then a custom mode of exactly the
// session's WxH@fps, checked by reading the outputs back (sway answers
// "success" even when the mode could not be committed). Capture and input
// reach it over sway's Wayland socket ($WAYLAND_DISPLAY): the address is
// "wayland:<output name>". New windows open on it (it gets the focus). Its
// keys move sway's one keyboard focus to it first (SwayFocus), so sessions on
// one sway type into their own outputs.
//
// Removing an output: the destructor asks sway to `unplug` it (where sway
// knows the command), else to disable it; sway 1.7 (Debian 12) can do
// neither for headless outputs, so the output is kept, and the next display
// this host creates reuses it at the new mode instead of adding another.
// Thread model: owned by one session; not thread-safe.
class SwayDisplay : public VirtualDisplay {
 public:
  // Whether sway answers on $SWAYSOCK and $WAYLAND_DISPLAY is set.
  static ProbeVerdict probe();
  static Result<std::unique_ptr<SwayDisplay>> create(
      const DisplayMode& mode,
      std::chrono::milliseconds timeout = std::chrono::seconds(2));
  ~SwayDisplay() override;

  std::string backend() const override { return "sway"; }
  std::string address() const override { return "wayland:" + output_; }
  DisplayMode mode() const override { return mode_; }
  // Sets the new mode on the same output (capture must reopen: the size changed).
  Status resize(const DisplayMode& mode) override;
  Result<std::unique_ptr<VideoSource>> open_capture(int width, int height, int fps) override;
  Result<std::unique_ptr<InputInjector>> open_input() override;
  std::vector<std::string> app_environment() const override;
  const std::string& output_name() const { return output_; }

 private:
  SwayDisplay() = default;
  std::string output_;
  DisplayMode mode_;
  std::chrono::milliseconds timeout_{2000};
};

// "wayland:HEADLESS-2" -> "HEADLESS-2"; nullopt for any other address.
std::optional<std::string> wayland_output_of(const std::string& address);

}  // namespace pf::host
