// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/input/text_keymap.h"

#include <gtest/gtest.h>
#include <xkbcommon/xkbcommon.h>

namespace pf::host {
namespace {

// What the keymap types on evdev key `code` (level 1), compiled by xkbcommon
// as a compositor would.
uint32_t keysym_on(const std::string& text, uint32_t code) {
  xkb_context* ctx = xkb_context_new(XKB_CONTEXT_NO_FLAGS);
  xkb_keymap* map = xkb_keymap_new_from_string(ctx, text.c_str(), XKB_KEYMAP_FORMAT_TEXT_V1,
                                               XKB_KEYMAP_COMPILE_NO_FLAGS);
  uint32_t sym = 0;
  if (map) {
    const xkb_keysym_t* syms = nullptr;
    if (xkb_keymap_key_get_syms_by_level(map, code + 8, 0, 0, &syms) == 1)
      sym = syms[0];
    xkb_keymap_unref(map);
  }
  xkb_context_unref(ctx);
  return sym;
}

TEST(TextKeymapTest, EveryKeysymGetsAKeyThatTypesIt) {
  TextKeymap km;
  const auto euro = km.slot(0x20ac);
  EXPECT_TRUE(euro.keymap_changed);
  const auto a = km.slot(xkb_utf32_to_keysym('a'));
  const auto emoji = km.slot(xkb_utf32_to_keysym(0x1F600));
  EXPECT_TRUE(emoji.keymap_changed);
  const auto again = km.slot(0x20ac);
  EXPECT_FALSE(again.keymap_changed);
  EXPECT_EQ(again.evdev_code, euro.evdev_code);
  const std::string text = km.keymap_text();
  EXPECT_EQ(keysym_on(text, euro.evdev_code), 0x20acu);
  EXPECT_EQ(keysym_on(text, a.evdev_code), static_cast<uint32_t>(XKB_KEY_a));
  EXPECT_EQ(keysym_on(text, emoji.evdev_code), 0x1000000u + 0x1F600);
}

TEST(TextKeymapTest, AnEmptyKeymapCompilesAndAFullOneStartsOver) {
  TextKeymap km;
  xkb_context* ctx = xkb_context_new(XKB_CONTEXT_NO_FLAGS);
  xkb_keymap* map = xkb_keymap_new_from_string(
      ctx, km.keymap_text().c_str(), XKB_KEYMAP_FORMAT_TEXT_V1, XKB_KEYMAP_COMPILE_NO_FLAGS);
  EXPECT_NE(map, nullptr);
  xkb_keymap_unref(map);
  xkb_context_unref(ctx);
  for (uint32_t i = 0; i < TextKeymap::kMaxSlots; ++i)
    EXPECT_EQ(km.slot(0x100 + i).evdev_code, i + 1);
  const auto next = km.slot(0x20ac);
  EXPECT_TRUE(next.keymap_changed);
  EXPECT_EQ(next.evdev_code, 1u);
  EXPECT_EQ(km.size(), 1u);
  EXPECT_EQ(keysym_on(km.keymap_text(), 1), 0x20acu);
}

}  // namespace
}  // namespace pf::host
