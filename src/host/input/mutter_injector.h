// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include "host/input/input_injector.h"

namespace pf::host {

class MutterDisplay;

// Injects the host's input model into a Mutter virtual monitor through its
// RemoteDesktop session: keys as evdev keycodes (Mutter applies its keymap),
// text as keysyms (Latin-1 = code point, else 0x01000000 | code point),
// buttons as evdev codes, absolute pointer positions scaled from 0..65535 to
// the monitor's pixels, relative motion, scroll in whole notches (1/120
// remainders kept). Touch and gamepads: not through this API (counted as
// unsupported).
// Thread model: one thread; `display` must outlive the injector.
class MutterInjector : public InputInjector {
 public:
  explicit MutterInjector(MutterDisplay& display) : display_(display) {}

  void inject(const proto::native::InputDatagram& event) override;
  const InjectorStats& stats() const override { return stats_; }

 private:
  MutterDisplay& display_;
  InjectorStats stats_;
  int scroll_v_ = 0, scroll_h_ = 0;  // sub-notch remainders (1/120)
};

}  // namespace pf::host
