// SPDX-License-Identifier: MIT OR Apache-2.0
// A virtual SDL game controller (SDL_JoystickAttachVirtual): plugged in,
// pressed, moved and unplugged, as the client's input sees it.
#include "client/input/sdl_gamepads.h"

#include <SDL2/SDL.h>
#include <linux/input-event-codes.h>

#include <cmath>
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
  EXPECT_EQ(sdl_button_to_evdev(SDL_CONTROLLER_BUTTON_TOUCHPAD), BTN_TRIGGER_HAPPY5);
  EXPECT_EQ(sdl_button_to_evdev(SDL_CONTROLLER_BUTTON_MISC1), BTN_TRIGGER_HAPPY6);
  EXPECT_EQ(sdl_button_to_evdev(SDL_CONTROLLER_BUTTON_MAX), 0);
  EXPECT_EQ(sdl_pad_type(SDL_CONTROLLER_TYPE_PS5), pn::GamepadType::kPlayStation);
  EXPECT_EQ(sdl_pad_type(SDL_CONTROLLER_TYPE_XBOXONE), pn::GamepadType::kXbox);
  EXPECT_EQ(sdl_pad_type(SDL_CONTROLLER_TYPE_VIRTUAL), pn::GamepadType::kUnknown);
  EXPECT_EQ(sdl_axis_to_evdev(SDL_CONTROLLER_AXIS_TRIGGERLEFT), ABS_Z);
  EXPECT_EQ(sdl_axis_to_evdev(SDL_CONTROLLER_AXIS_MAX), -1);
}

TEST(SdlGamepadsTest, SensorsAndTouchpadFingersInTheProtocolsUnits) {
  const float gravity[3] = {0.f, -9.80665f, 0.25f};  // m/s²
  auto a = sensor_datagram(3, SDL_SENSOR_ACCEL, gravity);
  ASSERT_TRUE(a);
  EXPECT_EQ(*a, (pn::InputDatagram{static_cast<uint8_t>(pn::InputKind::kGamepadMotion),
                                   3u << 16 | pn::kSensorAccel, 0, -9807, 250u}));
  const float turn[3] = {3.14159265f, 0.f, -1.f};  // rad/s
  auto g = sensor_datagram(3, SDL_SENSOR_GYRO, turn);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->code, 3u << 16 | pn::kSensorGyro);
  EXPECT_EQ(g->x, 180000);  // millidegrees/s
  EXPECT_EQ(static_cast<int32_t>(g->flags), -57296);
  const float nan[3] = {std::nanf(""), 0.f, 0.f};
  EXPECT_FALSE(sensor_datagram(0, SDL_SENSOR_GYRO, nan));
  EXPECT_FALSE(sensor_datagram(0, SDL_SENSOR_UNKNOWN, turn));

  auto down = touchpad_datagram(1, SDL_CONTROLLERTOUCHPADDOWN, 1, 0.5f, 0.25f);
  ASSERT_TRUE(down);
  EXPECT_EQ(*down, (pn::InputDatagram{static_cast<uint8_t>(pn::InputKind::kGamepadTouchpad),
                                      1u << 16 | 1u, 32767, 16383, 0u}));
  EXPECT_EQ(touchpad_datagram(1, SDL_CONTROLLERTOUCHPADMOTION, 0, 0.f, 0.f)->flags, 1u);
  EXPECT_EQ(touchpad_datagram(1, SDL_CONTROLLERTOUCHPADUP, 0, 1.f, 1.f)->flags, 2u);
  EXPECT_FALSE(touchpad_datagram(1, SDL_CONTROLLERTOUCHPADDOWN, 2, 0.5f, 0.5f));  // a 3rd finger
  EXPECT_FALSE(touchpad_datagram(1, SDL_CONTROLLERTOUCHPADDOWN, 0, 1.5f, 0.5f));
}

// A virtual pad with Sony's ids is a PlayStation pad: announced as such when
// plugged in; sensor and touchpad events of it become gamepad input.
TEST(SdlGamepadsTest, APlugInAnnouncesThePadAndItsSensorEventsAreSent) {
  auto pads = SdlGamepads::open();
  ASSERT_TRUE(pads) << pads.error().to_string();
  SDL_VirtualJoystickDesc desc{};
  desc.version = SDL_VIRTUAL_JOYSTICK_DESC_VERSION;
  desc.type = SDL_JOYSTICK_TYPE_GAMECONTROLLER;
  desc.naxes = SDL_CONTROLLER_AXIS_MAX;
  desc.nbuttons = SDL_CONTROLLER_BUTTON_MAX;
  desc.vendor_id = 0x054c;
  desc.product_id = 0x0ce6;
  desc.name = "punktfunk test DualSense";
  const int device = SDL_JoystickAttachVirtualEx(&desc);
  ASSERT_GE(device, 0) << SDL_GetError();
  Seen seen;
  seen.pump(**pads);
  ASSERT_EQ((*pads)->connected(), 1);
  ASSERT_FALSE(seen.events.empty());
  EXPECT_EQ(seen.events[0].kind, static_cast<uint8_t>(pn::InputKind::kGamepadArrival));
  EXPECT_EQ(seen.events[0].code, static_cast<uint32_t>(pn::GamepadType::kPlayStation));
  // SDL's virtual pads have no sensors: what a real pad's would deliver.
  SDL_Event e{};
  e.type = SDL_CONTROLLERSENSORUPDATE;
  e.csensor.which = SDL_JoystickGetDeviceInstanceID(device);
  e.csensor.sensor = SDL_SENSOR_ACCEL;
  e.csensor.data[1] = -9.80665f;
  std::vector<pn::InputDatagram> out;
  auto sink = [&](const pn::InputDatagram& d) { out.push_back(d); };
  EXPECT_TRUE((*pads)->handle(e, sink));
  SDL_Event t{};
  t.type = SDL_CONTROLLERTOUCHPADDOWN;
  t.ctouchpad.which = e.csensor.which;
  t.ctouchpad.x = 0.5f;
  t.ctouchpad.y = 0.5f;
  EXPECT_TRUE((*pads)->handle(t, sink));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].kind, static_cast<uint8_t>(pn::InputKind::kGamepadMotion));
  EXPECT_EQ(out[0].y, -9807);
  EXPECT_EQ(out[1].kind, static_cast<uint8_t>(pn::InputKind::kGamepadTouchpad));
  e.csensor.which = 12345;  // no such pad
  out.clear();
  EXPECT_TRUE((*pads)->handle(e, sink));
  EXPECT_TRUE(out.empty());
  SDL_JoystickDetachVirtual(device);
  seen.pump(**pads);
}

}  // namespace
}  // namespace pf::client
