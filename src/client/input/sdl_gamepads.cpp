// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/input/sdl_gamepads.h"

#include <SDL2/SDL.h>

#include <linux/input-event-codes.h>
#include <cmath>
#include <optional>

#include <fmt/format.h>

namespace pf::client {

namespace pn = proto::native;

uint16_t sdl_button_to_evdev(int button) {
  switch (button) {
    case SDL_CONTROLLER_BUTTON_A:
      return BTN_SOUTH;
    case SDL_CONTROLLER_BUTTON_B:
      return BTN_EAST;
    case SDL_CONTROLLER_BUTTON_X:
      return BTN_WEST;
    case SDL_CONTROLLER_BUTTON_Y:
      return BTN_NORTH;
    case SDL_CONTROLLER_BUTTON_BACK:
      return BTN_SELECT;
    case SDL_CONTROLLER_BUTTON_GUIDE:
      return BTN_MODE;
    case SDL_CONTROLLER_BUTTON_START:
      return BTN_START;
    case SDL_CONTROLLER_BUTTON_LEFTSTICK:
      return BTN_THUMBL;
    case SDL_CONTROLLER_BUTTON_RIGHTSTICK:
      return BTN_THUMBR;
    case SDL_CONTROLLER_BUTTON_LEFTSHOULDER:
      return BTN_TL;
    case SDL_CONTROLLER_BUTTON_RIGHTSHOULDER:
      return BTN_TR;
    case SDL_CONTROLLER_BUTTON_DPAD_UP:
      return BTN_DPAD_UP;
    case SDL_CONTROLLER_BUTTON_DPAD_DOWN:
      return BTN_DPAD_DOWN;
    case SDL_CONTROLLER_BUTTON_DPAD_LEFT:
      return BTN_DPAD_LEFT;
    case SDL_CONTROLLER_BUTTON_DPAD_RIGHT:
      return BTN_DPAD_RIGHT;
    case SDL_CONTROLLER_BUTTON_PADDLE1:
      return BTN_TRIGGER_HAPPY1;
    case SDL_CONTROLLER_BUTTON_PADDLE2:
      return BTN_TRIGGER_HAPPY2;
    case SDL_CONTROLLER_BUTTON_PADDLE3:
      return BTN_TRIGGER_HAPPY3;
    case SDL_CONTROLLER_BUTTON_PADDLE4:
      return BTN_TRIGGER_HAPPY4;
    case SDL_CONTROLLER_BUTTON_TOUCHPAD:  // as GameStream's TOUCHPAD flag
      return BTN_TRIGGER_HAPPY5;
    case SDL_CONTROLLER_BUTTON_MISC1:  // share / mic / capture
      return BTN_TRIGGER_HAPPY6;
    default:
      return 0;
  }
}

int sdl_axis_to_evdev(int axis) {
  switch (axis) {
    case SDL_CONTROLLER_AXIS_LEFTX:
      return ABS_X;
    case SDL_CONTROLLER_AXIS_LEFTY:
      return ABS_Y;
    case SDL_CONTROLLER_AXIS_RIGHTX:
      return ABS_RX;
    case SDL_CONTROLLER_AXIS_RIGHTY:
      return ABS_RY;
    case SDL_CONTROLLER_AXIS_TRIGGERLEFT:
      return ABS_Z;
    case SDL_CONTROLLER_AXIS_TRIGGERRIGHT:
      return ABS_RZ;
    default:
      return -1;
  }
}

namespace {

pn::InputDatagram pad_button(uint32_t index, uint16_t code, bool down) {
  return {static_cast<uint8_t>(pn::InputKind::kGamepadButton), index << 16 | code, 0, 0,
          down ? 1u : 0u};
}
pn::InputDatagram pad_axis(uint32_t index, int code, int32_t value) {
  return {static_cast<uint8_t>(pn::InputKind::kGamepadAxis),
          index << 16 | static_cast<uint32_t>(code), value, 0, 0};
}
// Triggers: SDL 0..32767 -> 0..255.
int32_t axis_value(int axis, int16_t v) {
  if (axis == SDL_CONTROLLER_AXIS_TRIGGERLEFT || axis == SDL_CONTROLLER_AXIS_TRIGGERRIGHT)
    return v <= 0 ? 0 : (int32_t{v} * 255 + 16383) / 32767;
  return v;
}

}  // namespace

pn::GamepadType sdl_pad_type(int type) {
  switch (type) {
    case SDL_CONTROLLER_TYPE_PS3:
    case SDL_CONTROLLER_TYPE_PS4:
    case SDL_CONTROLLER_TYPE_PS5:
      return pn::GamepadType::kPlayStation;
    case SDL_CONTROLLER_TYPE_XBOX360:
    case SDL_CONTROLLER_TYPE_XBOXONE:
      return pn::GamepadType::kXbox;
    case SDL_CONTROLLER_TYPE_NINTENDO_SWITCH_PRO:
      return pn::GamepadType::kNintendo;
    default:
      return pn::GamepadType::kUnknown;
  }
}

std::optional<pn::InputDatagram> sensor_datagram(uint32_t index, int sensor, const float data[3]) {
  // SDL: m/s² and rad/s; punktfunk/1: mm/s² and millidegrees/s.
  const bool accel = sensor == SDL_SENSOR_ACCEL;
  if (!accel && sensor != SDL_SENSOR_GYRO)
    return std::nullopt;
  const double scale = accel ? 1000.0 : 1000.0 * 180.0 / 3.14159265358979323846;
  int32_t v[3];
  for (int i = 0; i < 3; ++i) {
    const double x = data[i] * scale;
    if (!(x >= -2e9 && x <= 2e9))  // also NaN
      return std::nullopt;
    v[i] = static_cast<int32_t>(std::lround(x));
  }
  return pn::InputDatagram{static_cast<uint8_t>(pn::InputKind::kGamepadMotion),
                           index << 16 | (accel ? pn::kSensorAccel : pn::kSensorGyro), v[0], v[1],
                           static_cast<uint32_t>(v[2])};
}

std::optional<pn::InputDatagram> touchpad_datagram(uint32_t index,
                                                   uint32_t event,
                                                   int finger,
                                                   float x,
                                                   float y) {
  if (finger < 0 || finger > 1 || !(x >= 0.f && x <= 1.f && y >= 0.f && y <= 1.f))
    return std::nullopt;
  const uint32_t flags = event == SDL_CONTROLLERTOUCHPADDOWN     ? 0
                         : event == SDL_CONTROLLERTOUCHPADMOTION ? 1
                         : event == SDL_CONTROLLERTOUCHPADUP     ? 2
                                                                 : 3;
  if (flags == 3)
    return std::nullopt;
  return pn::InputDatagram{static_cast<uint8_t>(pn::InputKind::kGamepadTouchpad),
                           index << 16 | static_cast<uint32_t>(finger),
                           static_cast<int32_t>(x * 65535.f), static_cast<int32_t>(y * 65535.f),
                           flags};
}

Result<std::unique_ptr<SdlGamepads>> SdlGamepads::open() {
  if (SDL_InitSubSystem(SDL_INIT_GAMECONTROLLER) != 0)
    return make_error(StatusCode::kUnavailable,
                      fmt::format("SDL game controllers: {}", SDL_GetError()));
  return std::unique_ptr<SdlGamepads>(new SdlGamepads());
}

SdlGamepads::~SdlGamepads() {
  for (Pad& p : pads_)
    if (p.controller)
      SDL_GameControllerClose(p.controller);
  SDL_QuitSubSystem(SDL_INIT_GAMECONTROLLER);
}

int SdlGamepads::connected() const {
  int n = 0;
  for (const Pad& p : pads_)
    n += p.controller != nullptr;
  return n;
}

SdlGamepads::Pad* SdlGamepads::find(int32_t instance, uint32_t* index) {
  for (uint32_t i = 0; i < pads_.size(); ++i)
    if (pads_[i].controller && pads_[i].instance == instance) {
      *index = i;
      return &pads_[i];
    }
  return nullptr;
}

void SdlGamepads::release(uint32_t index, const Sink& sink) {
  Pad& p = pads_[index];
  for (int b = 0; b < SDL_CONTROLLER_BUTTON_MAX; ++b)
    if (p.buttons & (1u << b))
      if (const uint16_t code = sdl_button_to_evdev(b))
        sink(pad_button(index, code, false));
  for (int a = 0; a < SDL_CONTROLLER_AXIS_MAX; ++a)
    if (p.axes[a] != 0)
      sink(pad_axis(index, sdl_axis_to_evdev(a), 0));
  p = Pad{};
}

bool SdlGamepads::handle(const SDL_Event& e, const Sink& sink) {
  uint32_t index = 0;
  switch (e.type) {
    case SDL_CONTROLLERDEVICEADDED: {
      SDL_GameController* c = SDL_GameControllerOpen(e.cdevice.which);
      if (!c)
        return true;
      const int32_t instance = SDL_JoystickInstanceID(SDL_GameControllerGetJoystick(c));
      if (find(instance, &index)) {  // already open
        SDL_GameControllerClose(c);
        return true;
      }
      for (index = 0; index < pads_.size() && pads_[index].controller; ++index) {
      }
      if (index == pads_.size()) {  // 16 pads: no room
        SDL_GameControllerClose(c);
        return true;
      }
      pads_[index].controller = c;
      pads_[index].instance = instance;
      // Tell the host what pad this is (its layout) and what it has; turn
      // its sensors on so their reports come.
      uint32_t caps = 0;
      if (SDL_GameControllerGetNumTouchpads(c) > 0)
        caps |= pn::kCapTouchpad;
      for (const auto& [sensor, cap] :
           {std::pair{SDL_SENSOR_ACCEL, pn::kCapAccel}, std::pair{SDL_SENSOR_GYRO, pn::kCapGyro}})
        if (SDL_GameControllerHasSensor(c, sensor) &&
            SDL_GameControllerSetSensorEnabled(c, sensor, SDL_TRUE) == 0)
          caps |= cap;
      sink(pn::InputDatagram{
          static_cast<uint8_t>(pn::InputKind::kGamepadArrival),
          index << 16 | static_cast<uint32_t>(sdl_pad_type(SDL_GameControllerGetType(c))), 0, 0,
          caps});
      return true;
    }
    case SDL_CONTROLLERSENSORUPDATE: {
      if (find(e.csensor.which, &index))
        if (auto d = sensor_datagram(index, e.csensor.sensor, e.csensor.data))
          sink(*d);
      return true;
    }
    case SDL_CONTROLLERTOUCHPADDOWN:
    case SDL_CONTROLLERTOUCHPADMOTION:
    case SDL_CONTROLLERTOUCHPADUP: {
      if (find(e.ctouchpad.which, &index) && e.ctouchpad.touchpad == 0)
        if (auto d =
                touchpad_datagram(index, e.type, e.ctouchpad.finger, e.ctouchpad.x, e.ctouchpad.y))
          sink(*d);
      return true;
    }
    case SDL_CONTROLLERDEVICEREMOVED:
      if (Pad* p = find(e.cdevice.which, &index)) {
        SDL_GameController* c = p->controller;
        release(index, sink);
        SDL_GameControllerClose(c);
      }
      return true;
    case SDL_CONTROLLERBUTTONDOWN:
    case SDL_CONTROLLERBUTTONUP: {
      Pad* p = find(e.cbutton.which, &index);
      const uint16_t code = sdl_button_to_evdev(e.cbutton.button);
      if (!p || !code || e.cbutton.button >= 32)
        return true;
      const bool down = e.type == SDL_CONTROLLERBUTTONDOWN;
      const uint32_t bit = 1u << e.cbutton.button;
      p->buttons = down ? p->buttons | bit : p->buttons & ~bit;
      sink(pad_button(index, code, down));
      return true;
    }
    case SDL_CONTROLLERAXISMOTION: {
      Pad* p = find(e.caxis.which, &index);
      const int code = sdl_axis_to_evdev(e.caxis.axis);
      if (!p || code < 0)
        return true;
      p->axes[e.caxis.axis] = e.caxis.value;
      sink(pad_axis(index, code, axis_value(e.caxis.axis, e.caxis.value)));
      return true;
    }
    default:
      return false;
  }
}

bool SdlGamepads::rumble(const proto::native::RumbleDatagram& r) {
  if (r.pad >= pads_.size() || !pads_[r.pad].controller)
    return false;
  return SDL_GameControllerRumble(pads_[r.pad].controller, r.low_motor, r.high_motor,
                                  r.duration_ms) == 0;
}

void SdlGamepads::queue_rumble(const proto::native::RumbleDatagram& r) {
  std::lock_guard lock(queue_mu_);
  if (queue_.size() < 64)
    queue_.push_back(r);
}

size_t SdlGamepads::play_queued() {
  std::vector<proto::native::RumbleDatagram> todo;
  {
    std::lock_guard lock(queue_mu_);
    todo.swap(queue_);
  }
  size_t played = 0;
  for (const auto& r : todo)
    played += rumble(r);
  return played;
}

void SdlGamepads::pump(int wait_ms, const Sink& sink) {
  SDL_Event e;
  if (SDL_WaitEventTimeout(&e, wait_ms)) {
    do
      handle(e, sink);
    while (SDL_PollEvent(&e));
  }
  play_queued();
}

}  // namespace pf::client
