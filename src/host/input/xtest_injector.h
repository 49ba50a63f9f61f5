// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/status.h"
#include "host/input/input_injector.h"
#include "proto/native/datagrams.h"

// Injects the host's input model (proto::native::InputDatagram: evdev key and
// button codes, relative/absolute pointer, scroll) into an X display with the
// XTEST extension: the backend for the built-in Xvfb sessions. Keys go through
// evdev code -> X keysym -> the display's keycode, so they follow its keymap.
// Text (one Unicode scalar per event) uses the key that types it unshifted,
// or one of up to 16 spare keycodes remapped to the character in turn. Not
// yet: touch and gamepads (uinput/libevdev, issue "Input injection service").
// Thread model: one thread.
namespace pf::host {

class XTestInjector : public InputInjector {
 public:
  static Result<std::unique_ptr<XTestInjector>> open(const std::string& display);
  ~XTestInjector() override;

  void inject(const proto::native::InputDatagram& event) override;
  const InjectorStats& stats() const override { return stats_; }

 private:
  struct Impl;
  explicit XTestInjector(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  InjectorStats stats_;
};

// evdev KEY_* -> X keysym (0 if unmapped).
unsigned long evdev_to_keysym(uint16_t code);

}  // namespace pf::host
