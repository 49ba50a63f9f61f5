// SPDX-License-Identifier: MIT OR Apache-2.0
// A virtual SDL game controller (SDL_JoystickAttachVirtual): plugged in,
// pressed, moved and unplugged, as the client's input sees it.
#include "client/input/sdl_gamepads.h"

#include <SDL2/SDL.h>
#include <linux/input-event-codes.h>

#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace pf::client {
namespace {

namespace pn = proto::native;

struct Seen {
  std::vector<pn::InputDatagram> events;
  void pump(SdlGamepads& pads) {
    SDL_Event e;
    for (int i = 0; i < 20; ++i) {
      SDL_JoystickUpdate();
      while (SDL_PollEvent(&e))
        pads.handle(e, [&](const pn::InputDatagram& d) { events.push_back(d); });
      SDL_Delay(5);
    }
  }
  bool has(pn::InputKind kind, uint32_t code, int32_t x, uint32_t flags) const {
    for (const auto& d : events)
      if (d.kind == static_cast<uint8_t>(kind) && d.code == code && d.x == x && d.flags == flags)
        return true;
    return false;
  }
};

TEST(SdlGamepadsTest, AVirtualControllerPressedMovedAndUnplugged) {
  auto pads = SdlGamepads::open();
  ASSERT_TRUE(pads) << pads.error().to_string();
  const int device = SDL_JoystickAttachVirtual(
      SDL_JOYSTICK_TYPE_GAMECONTROLLER, SDL_CONTROLLER_AXIS_MAX, SDL_CONTROLLER_BUTTON_MAX, 0);
  ASSERT_GE(device, 0) << SDL_GetError();
  SDL_Joystick* joy = SDL_JoystickOpen(device);
  ASSERT_NE(joy, nullptr) << SDL_GetError();
  Seen seen;
  seen.pump(**pads);
  ASSERT_EQ((*pads)->connected(), 1);

  SDL_JoystickSetVirtualButton(joy, SDL_CONTROLLER_BUTTON_A, 1);
  SDL_JoystickSetVirtualButton(joy, SDL_CONTROLLER_BUTTON_X, 1);
  SDL_JoystickSetVirtualButton(joy, SDL_CONTROLLER_BUTTON_DPAD_LEFT, 1);
  SDL_JoystickSetVirtualAxis(joy, SDL_CONTROLLER_AXIS_LEFTX, -32768);
  SDL_JoystickSetVirtualAxis(joy, SDL_CONTROLLER_AXIS_TRIGGERRIGHT, 32767);
  seen.pump(**pads);
  using K = pn::InputKind;
  EXPECT_TRUE(seen.has(K::kGamepadButton, BTN_SOUTH, 0, 1));
  EXPECT_TRUE(seen.has(K::kGamepadButton, BTN_WEST, 0, 1));  // X is the left face button
  EXPECT_TRUE(seen.has(K::kGamepadButton, BTN_DPAD_LEFT, 0, 1));
  EXPECT_TRUE(seen.has(K::kGamepadAxis, ABS_X, -32768, 0));
  EXPECT_TRUE(seen.has(K::kGamepadAxis, ABS_RZ, 255, 0));

  SDL_JoystickSetVirtualButton(joy, SDL_CONTROLLER_BUTTON_X, 0);
  seen.pump(**pads);
  EXPECT_TRUE(seen.has(K::kGamepadButton, BTN_WEST, 0, 0));

  // Unplugged with A and d-pad left held and the stick pushed: all let go.
  seen.events.clear();
  SDL_JoystickClose(joy);
  SDL_JoystickDetachVirtual(device);
  seen.pump(**pads);
  EXPECT_EQ((*pads)->connected(), 0);
  EXPECT_TRUE(seen.has(K::kGamepadButton, BTN_SOUTH, 0, 0));
  EXPECT_TRUE(seen.has(K::kGamepadButton, BTN_DPAD_LEFT, 0, 0));
  EXPECT_TRUE(seen.has(K::kGamepadAxis, ABS_X, 0, 0));
  EXPECT_FALSE(seen.has(K::kGamepadButton, BTN_WEST, 0, 0));  // already up
}

// The host's rumble reaches the controller: a virtual pad whose Rumble
// callback records what SDL asked of its motors.
TEST(SdlGamepadsTest, HostRumbleDrivesThePadsMotors) {
  auto pads = SdlGamepads::open();
  ASSERT_TRUE(pads) << pads.error().to_string();
  struct Motors {
    std::vector<std::pair<uint16_t, uint16_t>> calls;
  } motors;
  SDL_VirtualJoystickDesc desc{};
  desc.version = SDL_VIRTUAL_JOYSTICK_DESC_VERSION;
  desc.type = SDL_JOYSTICK_TYPE_GAMECONTROLLER;
  desc.naxes = SDL_CONTROLLER_AXIS_MAX;
  desc.nbuttons = SDL_CONTROLLER_BUTTON_MAX;
  desc.name = "punktfunk test rumble pad";
  desc.userdata = &motors;
  desc.Rumble = [](void* user, Uint16 low, Uint16 high) {
    static_cast<Motors*>(user)->calls.emplace_back(low, high);
    return 0;
  };
  const int device = SDL_JoystickAttachVirtualEx(&desc);
  ASSERT_GE(device, 0) << SDL_GetError();
  Seen seen;
  seen.pump(**pads);
  ASSERT_EQ((*pads)->connected(), 1);
  EXPECT_TRUE((*pads)->rumble(pn::RumbleDatagram{0, 0xC000, 0x3000, 500}));
  EXPECT_FALSE((*pads)->rumble(pn::RumbleDatagram{5, 0xFFFF, 0xFFFF, 500}));  // no pad 5
  EXPECT_TRUE((*pads)->rumble(pn::RumbleDatagram{0, 0, 0, 0}));               // stop
  ASSERT_GE(motors.calls.size(), 2u);
  EXPECT_EQ(motors.calls[0], (std::pair<uint16_t, uint16_t>{0xC000, 0x3000}));
  EXPECT_EQ(motors.calls.back(), (std::pair<uint16_t, uint16_t>{0, 0}));
  // As the client does it: queued from the network thread, played by pump()
  // on SDL's thread (the headless loop; the window's does the same).
  std::thread net([&] { (*pads)->queue_rumble(pn::RumbleDatagram{0, 0x1111, 0x2222, 100}); });
  net.join();
  (*pads)->pump(10, [](const pn::InputDatagram&) {});
  EXPECT_EQ(motors.calls.back(), (std::pair<uint16_t, uint16_t>{0x1111, 0x2222}));
  EXPECT_EQ((*pads)->play_queued(), 0u);  // nothing left
  SDL_JoystickDetachVirtual(device);
  seen.pump(**pads);
}

TEST(SdlGamepadsTest, TheMappingTables) {
  EXPECT_EQ(sdl_button_to_evdev(SDL_CONTROLLER_BUTTON_Y), BTN_NORTH);
  EXPECT_EQ(sdl_button_to_evdev(SDL_CONTROLLER_BUTTON_GUIDE), BTN_MODE);
  EXPECT_EQ(sdl_button_to_evdev(SDL_CONTROLLER_BUTTON_MISC1), 0);
  EXPECT_EQ(sdl_axis_to_evdev(SDL_CONTROLLER_AXIS_TRIGGERLEFT), ABS_Z);
  EXPECT_EQ(sdl_axis_to_evdev(SDL_CONTROLLER_AXIS_MAX), -1);
}

}  // namespace
}  // namespace pf::client
