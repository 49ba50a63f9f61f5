// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>

#include "base/status.h"
#include "host/vdisplay/virtual_display.h"

namespace pf::host {

// A GNOME Mutter of one session's own: a private D-Bus session bus
// (`dbus-daemon --session`) and `mutter --headless --wayland --no-x11` on it,
// with a Wayland socket of its own in $XDG_RUNTIME_DIR. Its own seat — keyboard
// focus, pointer, clipboard — so two sessions' keys never meet, which one
// Mutter with a virtual monitor per session cannot give (one seat, and no API
// to move its keyboard focus). Both processes are the host's children: they
// start with descriptors 0-2 only (the bus's address comes back through a
// pipe at fd 3), get SIGTERM when the host dies, and are stopped — Mutter
// first, then its bus — when this object goes.
// Thread model: made, asked and destroyed on the owning session's thread.
class MutterHeadless {
 public:
  // Whether mutter and dbus-daemon are installed.
  static ProbeVerdict probe();
  // Starts the bus and Mutter and waits until Mutter's ScreenCast API answers.
  static Result<std::unique_ptr<MutterHeadless>> start(
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~MutterHeadless();
  MutterHeadless(const MutterHeadless&) = delete;
  MutterHeadless& operator=(const MutterHeadless&) = delete;

  // The private bus ("unix:path=...").
  const std::string& bus_address() const { return bus_address_; }
  // The Wayland socket's name in $XDG_RUNTIME_DIR ("punktfunk-mutter-<pid>-<n>").
  const std::string& wayland_display() const { return wayland_display_; }
  pid_t mutter_pid() const { return mutter_pid_; }
  // False once Mutter or its bus has exited (crashed, killed).
  bool alive();

 private:
  MutterHeadless() = default;
  Status start_bus(std::chrono::milliseconds timeout);
  Status start_mutter(std::chrono::milliseconds timeout);

  pid_t bus_pid_ = -1;
  pid_t mutter_pid_ = -1;
  std::string bus_address_;
  std::string wayland_display_;
};

}  // namespace pf::host
