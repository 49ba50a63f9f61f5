// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "host/input/force_feedback.h"

namespace pf::host {

// What a kernel input device created by the host looks like to games and
// compositors: its name and ids, and the evdev events it can send.
struct VirtualDeviceSpec {
  std::string name;
  uint16_t bustype = 0x03;  // BUS_USB
  uint16_t vendor = 0, product = 0, version = 0;
  std::vector<uint16_t> keys;  // EV_KEY codes
  struct Abs {
    uint16_t code;
    int32_t min, max, fuzz, flat;
    int32_t resolution = 0;  // units per mm (per g, per deg/s for motion sensors)
  };
  std::vector<Abs> abs;         // EV_ABS axes
  std::vector<uint16_t> rel;    // EV_REL axes (a mouse's motion and wheels)
  std::vector<uint16_t> msc;    // EV_MSC codes (MSC_TIMESTAMP for motion sensors)
  std::vector<uint16_t> props;  // INPUT_PROP_* (ACCELEROMETER, POINTER, BUTTONPAD)
  // Force feedback: > 0 makes a device games can rumble (FF_RUMBLE,
  // FF_PERIODIC, FF_GAIN) with this many effects at once.
  uint32_t ff_effects_max = 0;
};

// One virtual input device. emit() queues an event; sync() ends a report
// (EV_SYN/SYN_REPORT). Thread model: one thread.
class VirtualDevice {
 public:
  virtual ~VirtualDevice() = default;
  virtual Status emit(uint16_t type, uint16_t code, int32_t value) = 0;
  Status sync() { return emit(0 /* EV_SYN */, 0 /* SYN_REPORT */, 0); }
  // Force-feedback requests games made since the last call (never blocks;
  // none for a device without force feedback).
  virtual std::vector<FfRequest> read_ff() { return {}; }
};

// Creates virtual devices: uinput through libevdev on Linux, a fake in tests.
class VirtualDeviceBackend {
 public:
  virtual ~VirtualDeviceBackend() = default;
  virtual Result<std::unique_ptr<VirtualDevice>> create(const VirtualDeviceSpec& spec) = 0;
};

}  // namespace pf::host
