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
// remainders kept), touch contacts (down/move/up). Gamepads: not through this
// API (counted as unsupported; uinput is their way in).
// Thread model: one thread; `display` must outlive the injector.
class MutterInjector : public InputInjector {
 public:
  explicit MutterInjector(MutterDisplay& display) : display_(display) {}

  void inject(const proto::native::InputDatagram& event) override;
  const InjectorStats& stats() const override { return stats_; }

 private:
  double scale_x(int32_t v) const;  // 0..65535 -> monitor pixels
  double scale_y(int32_t v) const;
  MutterDisplay& display_;
  InjectorStats stats_;
  int scroll_v_ = 0, scroll_h_ = 0;  // sub-notch remainders (1/120)
};

}  // namespace pf::host
