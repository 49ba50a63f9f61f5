// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/input/sdl_keymap.h"

#include <SDL2/SDL_scancode.h>
#include <gtest/gtest.h>
#include <linux/input-event-codes.h>

#include <set>

namespace pf::client {
namespace {

TEST(SdlKeymapTest, LettersDigitsAndModifiersMapToEvdev) {
  EXPECT_EQ(sdl_scancode_to_evdev(SDL_SCANCODE_A), uint32_t{KEY_A});
  EXPECT_EQ(sdl_scancode_to_evdev(SDL_SCANCODE_Z), uint32_t{KEY_Z});
  EXPECT_EQ(sdl_scancode_to_evdev(SDL_SCANCODE_1), uint32_t{KEY_1});
  EXPECT_EQ(sdl_scancode_to_evdev(SDL_SCANCODE_0), uint32_t{KEY_0});
  EXPECT_EQ(sdl_scancode_to_evdev(SDL_SCANCODE_RETURN), uint32_t{KEY_ENTER});
  EXPECT_EQ(sdl_scancode_to_evdev(SDL_SCANCODE_LSHIFT), uint32_t{KEY_LEFTSHIFT});
  EXPECT_EQ(sdl_scancode_to_evdev(SDL_SCANCODE_RGUI), uint32_t{KEY_RIGHTMETA});
  EXPECT_EQ(sdl_scancode_to_evdev(SDL_SCANCODE_KP_ENTER), uint32_t{KEY_KPENTER});
  EXPECT_EQ(sdl_scancode_to_evdev(SDL_SCANCODE_F12), uint32_t{KEY_F12});
  EXPECT_EQ(sdl_scancode_to_evdev(SDL_SCANCODE_UP), uint32_t{KEY_UP});
}

TEST(SdlKeymapTest, EveryKeyOfAPcKeyboardMapsAndOutOfRangeIsZero) {
  // The 104 keys of a full-size PC keyboard all have distinct codes.
  std::set<uint32_t> codes;
  int mapped = 0;
  for (int sc = SDL_SCANCODE_A; sc <= SDL_SCANCODE_KP_PERIOD; ++sc)
    if (uint32_t k = sdl_scancode_to_evdev(sc)) {
      codes.insert(k);
      ++mapped;
    }
  for (int sc = SDL_SCANCODE_LCTRL; sc <= SDL_SCANCODE_RGUI; ++sc)
    if (uint32_t k = sdl_scancode_to_evdev(sc)) {
      codes.insert(k);
      ++mapped;
    }
  EXPECT_GE(mapped, 104);
  EXPECT_EQ(codes.size(), static_cast<size_t>(mapped) - 1);  // NONUSHASH shares BACKSLASH
  EXPECT_EQ(sdl_scancode_to_evdev(-1), 0u);
  EXPECT_EQ(sdl_scancode_to_evdev(SDL_NUM_SCANCODES), 0u);
  EXPECT_EQ(sdl_scancode_to_evdev(SDL_SCANCODE_UNKNOWN), 0u);
}

}  // namespace
}  // namespace pf::client
