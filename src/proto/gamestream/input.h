// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/status.h"
#include "proto/native/datagrams.h"

// GameStream input packets (gamestream-protocol.md 9), carried in control
// messages of type 0x0206, translated into the host's input model: the same
// InputDatagram events punktfunk/1 clients send (Linux evdev codes), so one
// injection service serves both protocols. Sans-I/O; the translator keeps the
// state needed to turn gamepad snapshots into button/axis changes and to
// release everything held when a session ends.
namespace pf::proto::gamestream {

using native::InputDatagram;

// Windows virtual-key code -> evdev KEY_* (0 = no mapping).
uint16_t vk_to_evdev(uint8_t vk);

struct InputStats {
  uint64_t packets = 0, unknown = 0, malformed = 0;
};

class InputTranslator {
 public:
  // One 0x0206 payload -> zero or more events. Unknown magics are counted
  // and dropped; malformed packets are counted and dropped.
  std::vector<InputDatagram> translate(std::span<const uint8_t> packet);
  // Key-up / button-up events for everything still held (session end).
  std::vector<InputDatagram> release_all();
  const InputStats& stats() const { return stats_; }

 private:
  struct Pad {
    bool present = false;
    uint32_t buttons = 0;
    uint8_t lt = 0, rt = 0;
    int16_t lx = 0, ly = 0, rx = 0, ry = 0;
  };
  std::array<Pad, 16> pads_{};
  std::vector<uint16_t> held_keys_;
  std::vector<uint16_t> held_buttons_;
  InputStats stats_;
};

}  // namespace pf::proto::gamestream
