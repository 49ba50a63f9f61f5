// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/input/text_keymap.h"

#include <algorithm>

#include <fmt/format.h>

namespace pf::host {

TextKeymap::Slot TextKeymap::slot(uint32_t keysym) {
  const auto it = std::find(keysyms_.begin(), keysyms_.end(), keysym);
  if (it != keysyms_.end())
    return {static_cast<uint32_t>(it - keysyms_.begin()) + 1, false};
  if (keysyms_.size() == kMaxSlots)
    keysyms_.clear();
  keysyms_.push_back(keysym);
  return {static_cast<uint32_t>(keysyms_.size()), true};
}

std::string TextKeymap::keymap_text() const {
  // Keycodes <K1>.. at 9.. (evdev code + 8); the standard types and
  // compatibility; each key one level with its keysym (hex form: every keysym
  // has one, named or not).
  std::string keycodes, symbols;
  for (size_t i = 0; i < keysyms_.size(); ++i) {
    keycodes += fmt::format("    <K{}> = {};\n", i + 1, i + 9);
    symbols += fmt::format("    key <K{}> {{ [ {:#x} ] }};\n", i + 1, keysyms_[i]);
  }
  return fmt::format(
      "xkb_keymap {{\n"
      "  xkb_keycodes \"punktfunk-text\" {{\n"
      "    minimum = 8;\n"
      "    maximum = {};\n"
      "{}"
      "  }};\n"
      "  xkb_types \"punktfunk-text\" {{ include \"complete\" }};\n"
      "  xkb_compatibility \"punktfunk-text\" {{ include \"complete\" }};\n"
      "  xkb_symbols \"punktfunk-text\" {{\n"
      "{}"
      "  }};\n"
      "}};\n",
      std::max<size_t>(keysyms_.size() + 8, 9), keycodes, symbols);
}

}  // namespace pf::host
