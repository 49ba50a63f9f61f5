// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <sys/types.h>

#include <memory>

#include "host/vdisplay/virtual_display.h"

namespace pf::host {

// A headless X server (Xvfb) spawned and owned by the host: 24-bit depth,
// MIT-SHM for capture, XTEST for input, no TCP listener. Xvfb picks a free
// display number itself (-displayfd). The process is terminated and reaped
// on destruction; no process is left behind.
class XvfbDisplay final : public VirtualDisplay {
 public:
  static ProbeVerdict probe();
  static Result<std::unique_ptr<XvfbDisplay>> create(const DisplayMode& mode);
  ~XvfbDisplay() override;

  std::string backend() const override { return "xvfb"; }
  std::string address() const override { return ":" + std::to_string(display_); }
  DisplayMode mode() const override { return mode_; }
  Status resize(const DisplayMode& mode) override;
  bool alive() override;
  Result<std::unique_ptr<VideoSource>> open_capture(int width, int height, int fps) override;
  Result<std::unique_ptr<InputInjector>> open_input() override;
  std::vector<std::string> app_environment() const override;

  pid_t pid() const { return pid_; }

 private:
  XvfbDisplay() = default;
  Status spawn(const DisplayMode& mode, int display);  // display < 0: let Xvfb choose
  void terminate();

  pid_t pid_ = -1;
  int display_ = -1;
  DisplayMode mode_;
};

}  // namespace pf::host
