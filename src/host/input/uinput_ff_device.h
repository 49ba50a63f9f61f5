// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <memory>

#include <linux/input.h>

#include "host/input/virtual_device.h"

// A uinput device with force feedback, set up with the raw uinput ioctls
// (libevdev cannot give a device the effect slots force feedback needs):
// UI_DEV_SETUP with ff_effects_max, FF_RUMBLE/FF_PERIODIC/FF_GAIN, and the
// upload/erase handshake (UI_BEGIN/END_FF_UPLOAD, UI_BEGIN/END_FF_ERASE)
// answered from read_ff(). Untested on a real kernel here (no /dev/uinput on
// the development machine): effect_from_kernel is unit-tested, the ioctl
// sequence follows linux/uinput.h.
// Thread model: one thread per device.
namespace pf::host {

Result<std::unique_ptr<VirtualDevice>> create_uinput_ff_device(const VirtualDeviceSpec& spec);

// What a kernel effect means for two rumble motors.
FfEffect effect_from_kernel(const ff_effect& e);

}  // namespace pf::host
