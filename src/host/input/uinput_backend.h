// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <memory>

#include "host/input/virtual_device.h"
#include "host/vdisplay/virtual_display.h"

namespace pf::host {

// Kernel virtual input devices through /dev/uinput, built with libevdev. The
// devices are real to every program on the machine (games, compositors), so
// they reach any display. Needs write access to /dev/uinput (the uinput
// module loaded and the user in the group that owns it).
// Thread model: create() from any thread; each device from one thread.
class UinputBackend : public VirtualDeviceBackend {
 public:
  static ProbeVerdict probe();
  Result<std::unique_ptr<VirtualDevice>> create(const VirtualDeviceSpec& spec) override;
};

}  // namespace pf::host
