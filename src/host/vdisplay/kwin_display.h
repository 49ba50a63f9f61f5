// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "base/status.h"
#include "host/vdisplay/virtual_display.h"

namespace pf::host {

// A virtual output of a running KWin (Plasma 5.27+), made through KWin's
// screencast protocol (zkde_screencast_unstable_v1.stream_virtual_output,
// over $WAYLAND_DISPLAY): KWin adds an output of exactly the session's size
// and streams it to a PipeWire node, which PwVideoCapture reads like a Mutter
// monitor's (address "pipewire:<node>", the cursor embedded). The output
// exists while this object does; resize makes a new one (a new node).
//
// KWin offers the protocol only to programs a desktop file names
// (X-KDE-Wayland-Interfaces, matched by the executable's path): the package
// installs one for /usr/bin/punktfunk-host; probe() says when it is missing.
// The refresh rate is KWin's; the host captures at the session's rate.
// Thread model: owned by one session; not thread-safe.
class KwinDisplay : public VirtualDisplay {
 public:
  static ProbeVerdict probe();
  static Result<std::unique_ptr<KwinDisplay>> create(
      const DisplayMode& mode,
      std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // An existing output (the user's desktop, or KWin's own headless output)
  // streamed as it is, at its own size; resize() is refused.
  static Result<std::unique_ptr<KwinDisplay>> share_output(
      const std::string& name,
      int fps,
      std::chrono::milliseconds timeout = std::chrono::seconds(5));
  ~KwinDisplay() override;

  std::string backend() const override { return "kwin"; }
  std::string address() const override;
  DisplayMode mode() const override { return mode_; }
  Status resize(const DisplayMode& mode) override;
  Result<std::unique_ptr<VideoSource>> open_capture(int width, int height, int fps) override;
  Result<std::unique_ptr<InputInjector>> open_input() override;
  std::vector<std::string> app_environment() const override;
  uint32_t node_id() const;
  // The output's name as KWin lists it (xdg-output), for input.
  const std::string& output_name() const;

 private:
  struct Stream;
  KwinDisplay() = default;
  std::unique_ptr<Stream> stream_;
  DisplayMode mode_;
  bool shared_ = false;
  std::chrono::milliseconds timeout_{5000};
};

// The X-KDE-Wayland-Interfaces KWin must grant the host (its desktop file).
inline constexpr const char* kKwinInterfaces =
    "zkde_screencast_unstable_v1,org_kde_kwin_fake_input";

}  // namespace pf::host
