// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/input/layout_lookup.h"

#include <xkbcommon/xkbcommon.h>

namespace pf::host {

LayoutLookup::LayoutLookup() {
  ctx_ = xkb_context_new(XKB_CONTEXT_NO_FLAGS);
  map_ = ctx_ ? xkb_keymap_new_from_names(ctx_, nullptr, XKB_KEYMAP_COMPILE_NO_FLAGS) : nullptr;
}

LayoutLookup::~LayoutLookup() {
  if (map_)
    xkb_keymap_unref(map_);
  if (ctx_)
    xkb_context_unref(ctx_);
}

std::optional<LayoutLookup::Key> LayoutLookup::find(uint32_t keysym) const {
  if (!map_)
    return std::nullopt;
  for (xkb_keycode_t kc = xkb_keymap_min_keycode(map_); kc <= xkb_keymap_max_keycode(map_); ++kc)
    for (xkb_level_index_t level = 0; level < 2; ++level) {
      const xkb_keysym_t* syms = nullptr;
      if (kc >= 8 && xkb_keymap_key_get_syms_by_level(map_, kc, 0, level, &syms) == 1 &&
          syms[0] == keysym)
        return Key{kc - 8, level == 1};
    }
  return std::nullopt;
}

std::optional<LayoutLookup::Key> LayoutLookup::find_char(uint32_t cp) const {
  const xkb_keysym_t sym = xkb_utf32_to_keysym(cp);
  if (sym == XKB_KEY_NoSymbol)
    return std::nullopt;
  return find(sym);
}

}  // namespace pf::host
