// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "host/capture/video_source.h"
#include "host/input/input_injector.h"

namespace pf::host {

struct DisplayMode {
  int width = 1920;
  int height = 1080;
  int fps = 60;
  friend bool operator==(const DisplayMode&, const DisplayMode&) = default;
};

// A display created for one streaming session, of exactly the mode the
// client asked for. It yields everything that reaches it: its picture
// (open_capture), its input (open_input) and what a program launched on it
// needs (app_environment) — so no caller decides a backend from an address
// or a cast. Backends: Xvfb (built in, headless, CI), the running X desktop,
// Mutter, KWin, sway (display_factory.h).
// Thread model: owned by one session; not thread-safe. What open_capture()
// and open_input() return is used on one thread each and must not outlive the
// display.
class VirtualDisplay {
 public:
  virtual ~VirtualDisplay() = default;
  virtual std::string backend() const = 0;
  // Where it is, for people and logs, e.g. ":12" for an X display.
  virtual std::string address() const = 0;
  virtual DisplayMode mode() const = 0;
  // Changes the mode. A backend that cannot resize in place recreates the
  // display (connected X clients are dropped; captures and injectors opened
  // before must be closed first and opened again).
  virtual Status resize(const DisplayMode& mode) = 0;
  // False once the display is gone underneath the host (its server exited or
  // was killed); a session on it ends, a new one needs a new display.
  virtual bool alive() { return true; }
  // Its picture at a session's size and rate (scaled when the display has
  // another size, as the user's own desktop may).
  virtual Result<std::unique_ptr<VideoSource>> open_capture(int width, int height, int fps) = 0;
  // Input into it through its own way in (XTest, Mutter's RemoteDesktop,
  // KWin's fake input, sway's virtual devices).
  virtual Result<std::unique_ptr<InputInjector>> open_input() = 0;
  // Environment entries a program started on it needs ("DISPLAY=:12"); they
  // replace the host's values of the same names.
  virtual std::vector<std::string> app_environment() const = 0;
};

struct ProbeVerdict {
  bool available = false;
  std::string reason;
};

}  // namespace pf::host
