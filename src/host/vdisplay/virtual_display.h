// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <memory>
#include <string>

#include "base/status.h"

namespace pf::host {

struct DisplayMode {
  int width = 1920;
  int height = 1080;
  int fps = 60;
  friend bool operator==(const DisplayMode&, const DisplayMode&) = default;
};

// A display created for one streaming session, of exactly the mode the
// client asked for. Backends: Xvfb (built in, works headless and in CI);
// compositor backends (sway, Mutter, KWin) arrive with the media issue.
// Thread model: owned by one session; not thread-safe.
class VirtualDisplay {
 public:
  virtual ~VirtualDisplay() = default;
  virtual std::string backend() const = 0;
  // How capture and input reach it, e.g. ":12" for an X display.
  virtual std::string address() const = 0;
  virtual DisplayMode mode() const = 0;
  // Changes the mode. A backend that cannot resize in place recreates the
  // display at the same address (connected X clients are dropped).
  virtual Status resize(const DisplayMode& mode) = 0;
  // False once the display is gone underneath the host (its server exited or
  // was killed); a session on it ends, a new one needs a new display.
  virtual bool alive() { return true; }
};

struct ProbeVerdict {
  bool available = false;
  std::string reason;
};

}  // namespace pf::host
