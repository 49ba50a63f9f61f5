// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "base/status.h"
#include "host/input/input_injector.h"

namespace pf::host {

// Injects the host's input model into an output of a wlroots compositor
// (sway) as a Wayland client with virtual devices: a virtual keyboard with
// the user's XKB keymap (keys as evdev codes; the compositor applies the
// keymap and tracks modifiers), a second virtual keyboard for text whose keymap
// gives every typed keysym a key of its own (TextKeymap), and a virtual
// pointer bound to the output (absolute positions 0..65535 map onto it;
// relative motion, buttons as evdev codes, scroll in notches with 1/120
// remainders kept). Touch and pens have no wlroots virtual device: counted as
// unsupported. Gamepads go through uinput.
//
// A compositor's seat has one keyboard focus for all its outputs: with
// several sessions on one compositor, each key would reach whichever window
// last had the focus. `focus`, when given, is called before every key and
// text event; it moves the keyboard focus to this injector's output and
// returns a lock that keeps every other session's keys out until this one is
// sent (the pointer needs none: it is bound to its output).
// Thread model: one thread at a time.
class WlrVirtualInjector : public InputInjector {
 public:
  using KeyboardFocus = std::function<std::unique_lock<std::mutex>()>;
  // `socket`: the compositor's Wayland socket (empty = $WAYLAND_DISPLAY);
  // `output`: the output the pointer moves on, e.g. "HEADLESS-2".
  static Result<std::unique_ptr<WlrVirtualInjector>> open(
      const std::string& socket,
      const std::string& output,
      std::chrono::milliseconds timeout = std::chrono::seconds(2),
      KeyboardFocus focus = {});
  ~WlrVirtualInjector() override;

  void inject(const proto::native::InputDatagram& event) override;
  const InjectorStats& stats() const override { return stats_; }

 private:
  struct Impl;
  explicit WlrVirtualInjector(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  InjectorStats stats_;
};

}  // namespace pf::host
