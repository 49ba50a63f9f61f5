// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "base/status.h"
#include "host/vdisplay/mutter_headless.h"
#include "host/vdisplay/virtual_display.h"

namespace pf::host {

// A virtual monitor of a GNOME Mutter — the one on the session bus (the
// user's GNOME session, or a `mutter --headless` there; sessions then share
// its seat: keys go to whichever window has the focus), or one of its own
// (create_headless: MutterHeadless, a seat per session) — created through
// Mutter's D-Bus APIs: a RemoteDesktop session (for input), a ScreenCast session tied to it,
// RecordVirtual (cursor embedded, part of the platform), Start, then the
// PipeWire node from PipeWireStreamAdded. The monitor exists while this
// object does and takes the size its PipeWire consumer asks for, so capture
// (PwVideoCapture) decides the mode. The address is "pipewire:<node id>" (the
// session bus's Mutter) or "wayland:<socket>" (a Mutter of its own).
// Input goes in through the RemoteDesktop session (notify_*: evdev codes,
// pointer positions in monitor pixels), sent without waiting for replies.
// Thread model: owned by one session; create/resize/destroy on one thread,
// notify_* from any thread (serialised inside).
class MutterDisplay : public VirtualDisplay {
 public:
  // Whether org.gnome.Mutter.ScreenCast answers on the session bus (or on
  // the bus at `bus_address`).
  static ProbeVerdict probe(const std::string& bus_address = {});
  // A monitor of the session bus's Mutter.
  static Result<std::unique_ptr<MutterDisplay>> create(
      const DisplayMode& mode,
      std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // A monitor of a Mutter started for it (and stopped with it).
  static Result<std::unique_ptr<MutterDisplay>> create_headless(
      const DisplayMode& mode,
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~MutterDisplay() override;

  std::string backend() const override;
  std::string address() const override;
  DisplayMode mode() const override { return mode_; }
  // A new virtual monitor (and PipeWire node) in the same Mutter: its
  // windows stay.
  Status resize(const DisplayMode& mode) override;
  // False once a Mutter of its own has exited.
  bool alive() override;
  Result<std::unique_ptr<VideoSource>> open_capture(int width, int height, int fps) override;
  Result<std::unique_ptr<InputInjector>> open_input() override;
  std::vector<std::string> app_environment() const override;
  uint32_t node_id() const;
  // The pid of a Mutter of its own; -1 for the session bus's Mutter.
  pid_t mutter_pid() const { return home_ ? home_->mutter_pid() : -1; }

  // Input into this monitor; false when the session has no remote desktop
  // (a Mutter without the RemoteDesktop API) or the bus broke.
  bool has_input() const;
  bool notify_key(uint32_t evdev_code, bool down);
  bool notify_keysym(uint32_t keysym, bool down);
  bool notify_button(uint32_t evdev_button, bool down);
  bool notify_motion_absolute(double x, double y);
  bool notify_motion_relative(double dx, double dy);
  // axis 0 vertical, 1 horizontal; steps > 0 scroll down / right.
  bool notify_scroll_discrete(uint32_t axis, int32_t steps);
  // Touch contact `slot` at monitor pixels.
  bool notify_touch_down(uint32_t slot, double x, double y);
  bool notify_touch_motion(uint32_t slot, double x, double y);
  bool notify_touch_up(uint32_t slot);

 private:
  struct Session;
  MutterDisplay() = default;
  Status open_monitor(const DisplayMode& mode, std::chrono::milliseconds timeout);
  std::unique_ptr<MutterHeadless> home_;  // null: the session bus's Mutter
  std::unique_ptr<Session> session_;
  DisplayMode mode_;
};

// "pipewire:42" -> 42; nullopt for any other address.
std::optional<uint32_t> pipewire_node_of(const std::string& address);

}  // namespace pf::host
