// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>

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
