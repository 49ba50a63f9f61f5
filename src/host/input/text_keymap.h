// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pf::host {

// The keymap of a "typing" keyboard for compositors that take keyboards as
// an XKB keymap plus key codes (wlroots' virtual keyboard): every keysym
// typed gets a key of its own, so any Unicode text can be typed whatever the
// user's layout. The keymap grows as new keysyms come (the caller uploads it
// again when slot() says so) and starts over when full.
// Thread model: a value type, one thread.
class TextKeymap {
 public:
  // Keys 1..kMaxSlots in evdev numbering (XKB keycodes 9..).
  static constexpr size_t kMaxSlots = 200;

  struct Slot {
    uint32_t evdev_code = 0;
    bool keymap_changed = false;  // upload keymap_text() before pressing it
  };
  // The key that types `keysym` (an X keysym, e.g. 0x20ac for the euro sign).
  Slot slot(uint32_t keysym);
  // The whole keymap in XKB text format (xkb_keymap_new_from_string reads it).
  std::string keymap_text() const;
  size_t size() const { return keysyms_.size(); }

 private:
  std::vector<uint32_t> keysyms_;
};

}  // namespace pf::host
