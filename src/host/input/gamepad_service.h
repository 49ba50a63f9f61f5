// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "host/input/virtual_device.h"
#include "proto/native/datagrams.h"

namespace pf::host {

struct GamepadStats {
  uint64_t pads_created = 0;
  uint64_t events = 0;    // sent to a pad
  uint64_t dropped = 0;   // no device (backend unavailable, creation failed)
  uint64_t unmapped = 0;  // a code the pad does not have, or a pad index out of range
};

// Virtual gamepads for every client's controllers: the first event for pad N
// (code = N << 16 | evdev code) creates "punktfunk gamepad N+1", an Xbox
// 360-style device (USB 045e:028e, the layout of the kernel's xpad driver:
// sticks ±32767, triggers 0..255, the d-pad as a hat, X and Y as xpad
// reports them) that games recognise without configuration. Devices live as long as the service, so
// a game keeps seeing the same pad across reconnects; one whose events fail (it vanished) is made
// again with the next event. release_all() lets go of every button and centres sticks and triggers
// (a session ended). Rumble back to the client is not read from the devices yet. Thread model:
// thread-safe (sessions inject from their own threads).
class GamepadService {
 public:
  static constexpr uint32_t kMaxPads = 16;

  explicit GamepadService(std::unique_ptr<VirtualDeviceBackend> backend);
  ~GamepadService();

  // Gamepad buttons and axes; false for any other kind (not ours).
  bool inject(const proto::native::InputDatagram& event);
  void release_all();
  GamepadStats stats() const;

  static VirtualDeviceSpec xbox360_spec(uint32_t pad);

 private:
  struct Pad {
    std::unique_ptr<VirtualDevice> device;
    std::vector<uint16_t> held;  // buttons down
    uint8_t dpad = 0;            // bit0 up, bit1 down, bit2 left, bit3 right
    bool warned = false;
  };
  Pad* device_for(uint32_t index);
  void send(Pad& pad, uint16_t type, uint16_t code, int32_t value);

  std::unique_ptr<VirtualDeviceBackend> backend_;
  mutable std::mutex mu_;
  std::array<Pad, kMaxPads> pads_;
  GamepadStats stats_;
};

}  // namespace pf::host
