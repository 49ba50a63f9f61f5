// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>

#include "proto/native/datagrams.h"

namespace pf::host {

struct InjectorStats {
  uint64_t injected = 0, unsupported = 0, unmapped = 0;
};

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
