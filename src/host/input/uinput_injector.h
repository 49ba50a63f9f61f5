// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <initializer_list>
#include <memory>
#include <string>

#include "host/input/input_injector.h"
#include "host/input/layout_lookup.h"
#include "host/input/virtual_device.h"

namespace pf::host {

// Keyboard, mouse, absolute pointer and touchscreen as kernel devices
// (uinput): for a desktop whose compositor reads input devices with libinput
// and has no input API the host speaks (or when chosen: `--input uinput`).
// The devices are the machine's, so the input reaches whatever display has
// the seat, not one session's display: only for single-user desktops.
//   keyboard    "punktfunk keyboard": the evdev keys 1-248; text as the keys
//               of the default XKB layout that type it (Shift for level 2;
//               others counted as unmapped)
//   mouse       "punktfunk mouse": relative motion, five buttons, wheels in
//               1/120 notches (REL_WHEEL_HI_RES) and whole notches
//   pointer     "punktfunk absolute pointer": ABS_X/ABS_Y 0..65535 over the
//               screen (a VM tablet's layout, which libinput takes)
//   touch       "punktfunk touchscreen": ten contacts, multitouch slots,
//               INPUT_PROP_DIRECT
//   pen         "punktfunk pen": a pen tablet over the screen (pen and
//               eraser, pressure, tilt, three barrel buttons, hover)
// Each device is made at its first event and kept; one whose events fail
// (it vanished) is made again at the next. Gamepads: GamepadService.
// Thread model: one thread at a time.
class UinputInjector : public InputInjector {
 public:
  explicit UinputInjector(std::unique_ptr<VirtualDeviceBackend> backend);
  ~UinputInjector() override;

  void inject(const proto::native::InputDatagram& event) override;
  const InjectorStats& stats() const override { return stats_; }

  static VirtualDeviceSpec keyboard_spec();
  static VirtualDeviceSpec mouse_spec();
  static VirtualDeviceSpec pointer_spec();
  static VirtualDeviceSpec touchscreen_spec();
  static VirtualDeviceSpec pen_spec();

 private:
  struct Ev {
    uint16_t type, code;
    int32_t value;
  };
  enum Which { kKeyboard, kMouse, kPointer, kTouch, kPen, kCount };
  void pen(const proto::native::InputDatagram& e, bool& sent);
  bool send(Which which, std::initializer_list<Ev> events);
  std::unique_ptr<VirtualDeviceBackend> backend_;
  std::unique_ptr<VirtualDevice> devices_[kCount];
  bool warned_ = false;
  LayoutLookup layout_;
  int wheel_ = 0, hwheel_ = 0;  // sub-notch remainders (1/120)
  uint16_t contacts_ = 0;       // touch: bit n = contact n down
  int32_t next_tracking_id_ = 0;
  uint16_t pen_tool_ = 0;  // BTN_TOOL_PEN / BTN_TOOL_RUBBER while in proximity
  bool pen_touching_ = false;
  InjectorStats stats_;
};

}  // namespace pf::host
