// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>

// SDL scancodes (USB HID keyboard usages) to Linux evdev KEY_* codes, the
// key codes punktfunk/1 input datagrams carry (protocol section 5).
// Thread model: a pure function.
namespace pf::client {

// 0 for scancodes without an evdev key.
uint32_t sdl_scancode_to_evdev(int scancode);

}  // namespace pf::client
