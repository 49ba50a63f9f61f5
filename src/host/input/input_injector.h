// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <linux/input-event-codes.h>

#include <cstdint>
#include <vector>

#include "proto/native/datagrams.h"

namespace pf::host {

struct InjectorStats {
  uint64_t injected = 0, unsupported = 0, unmapped = 0;
};

// The X keysym that types Unicode scalar `cp` (Latin-1 keysyms equal their
// code points, the rest are 0x01000000 | code point), or 0 for what is no
// text: control characters, surrogates, values past U+10FFFF.
inline uint32_t text_keysym(uint32_t cp) {
  if (cp < 0x20 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x7F && cp < 0xA0))
    return 0;
  return cp < 0x100 ? cp : 0x01000000u | cp;
}

// Scroll arrives in 1/120 notches (high-resolution wheels send parts of one);
// APIs that take whole notches get them once enough has come together: adds
// `amount` to the remainder `acc` and returns the whole notches it makes.
inline int take_notches(int& acc, int32_t amount) {
  acc += amount;
  const int notches = acc / 120;
  acc -= notches * 120;
  return notches;
}

// A pen where the display takes no pens: the pointer, with the left button
// held while the pen touches (hover moves, down presses, up/cancel let go).
inline std::vector<proto::native::InputDatagram> pen_as_pointer(
    const proto::native::InputDatagram& e) {
  using proto::native::InputKind;
  using proto::native::PenEvent;
  std::vector<proto::native::InputDatagram> out = {
      {static_cast<uint8_t>(InputKind::kMouseAbsolute), 0, e.x, e.y, 0}};
  const PenEvent ev = proto::native::pen_event(e);
  if (ev == PenEvent::kDown)
    out.push_back({static_cast<uint8_t>(InputKind::kButtonDown), BTN_LEFT, 0, 0, 0});
  else if (ev == PenEvent::kUp || ev == PenEvent::kCancel)
    out.push_back({static_cast<uint8_t>(InputKind::kButtonUp), BTN_LEFT, 0, 0, 0});
  return out;
}

// Puts the host's input model (proto::native::InputDatagram) into a session's
// display. Backends: XTestInjector (X displays), MutterInjector (Mutter
// virtual monitors, through the RemoteDesktop session).
// Thread model: one thread at a time.
class InputInjector {
 public:
  virtual ~InputInjector() = default;
  virtual void inject(const proto::native::InputDatagram& event) = 0;
  virtual const InjectorStats& stats() const = 0;
};

}  // namespace pf::host
