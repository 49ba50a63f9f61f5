// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <optional>

struct xkb_context;
struct xkb_keymap;

namespace pf::host {

// The key (evdev code) and whether Shift is needed to type a keysym with the
// default XKB layout (XKB_DEFAULT_* or the system's): how injectors that can
// only press keys (KWin's fake input, uinput) type text. Characters the
// layout has no key for (on levels 1-2) have none.
// Thread model: one thread.
class LayoutLookup {
 public:
  struct Key {
    uint32_t code = 0;
    bool shift = false;
  };
  LayoutLookup();
  ~LayoutLookup();
  LayoutLookup(const LayoutLookup&) = delete;
  LayoutLookup& operator=(const LayoutLookup&) = delete;

  bool ok() const { return map_ != nullptr; }
  std::optional<Key> find(uint32_t keysym) const;
  // The key for Unicode scalar `cp` (its keysym), if the layout has one.
  std::optional<Key> find_char(uint32_t cp) const;

 private:
  xkb_context* ctx_ = nullptr;
  xkb_keymap* map_ = nullptr;
};

}  // namespace pf::host
