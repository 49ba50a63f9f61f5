// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "base/status.h"
#include "proto/native/datagrams.h"

union SDL_Event;
struct _SDL_GameController;

// The client's game controllers (SDL2 GameController: any pad SDL knows, in
// the Xbox layout) as punktfunk/1 gamepad input: pad index N (the lowest free
// of 16) in the code's upper 16 bits, positional evdev buttons (BTN_SOUTH is
// the bottom face button, BTN_WEST the left one), sticks as ABS_X/Y/RX/RY
// (-32768..32767, positive = right/down), triggers as ABS_Z/RZ (0..255). A pad
// plugged in is announced (arrival: its type and whether it has a touchpad,
// accelerometer, gyroscope; the sensors are switched on), its sensor reports
// and touchpad fingers are sent too (kinds 13-15). A pad unplugged lets go of
// everything it held.
// Thread model: SDL's event thread (the one calling SDL_PollEvent), except
// queue_rumble().
namespace pf::client {

class SdlGamepads {
 public:
  using Sink = std::function<void(const proto::native::InputDatagram&)>;

  static Result<std::unique_ptr<SdlGamepads>> open();
  ~SdlGamepads();

  // Handles controller events (added, removed, buttons, axes); false for any
  // other event.
  bool handle(const SDL_Event& event, const Sink& sink);
  int connected() const;
  // The host's rumble (0xCA) on pad `r.pad`: SDL_GameControllerRumble with
  // both motors and the duration (both 0 stops). False if no such pad or it
  // cannot rumble.
  bool rumble(const proto::native::RumbleDatagram& r);
  // From any thread: a rumble to play at the next play_queued() (at most 64
  // wait; a stalled loop does not grow the queue without bound).
  void queue_rumble(const proto::native::RumbleDatagram& r);
  // On SDL's thread: plays the queued rumbles; how many reached a pad.
  size_t play_queued();
  // Without a window (--headless --gamepads): waits up to wait_ms for SDL
  // events, handles the controllers', plays queued rumbles.
  void pump(int wait_ms, const Sink& sink);

 private:
  SdlGamepads() = default;
  struct Pad {
    _SDL_GameController* controller = nullptr;
    int32_t instance = -1;
    uint32_t buttons = 0;  // SDL buttons held, bit per SDL_GameControllerButton
    int16_t axes[6] = {};
  };
  Pad* find(int32_t instance, uint32_t* index);
  void release(uint32_t index, const Sink& sink);
  std::array<Pad, 16> pads_{};
  std::mutex queue_mu_;
  std::vector<proto::native::RumbleDatagram> queue_;
};

// SDL_GameControllerButton -> evdev BTN_* (0 if none); axis -> ABS_* (-1 if none).
uint16_t sdl_button_to_evdev(int button);
int sdl_axis_to_evdev(int axis);
// SDL_GameControllerType -> what the host makes of the pad.
proto::native::GamepadType sdl_pad_type(int type);
// An SDL sensor report (SDL_SENSOR_ACCEL m/s², SDL_SENSOR_GYRO rad/s) as
// punktfunk/1 gamepad motion (mm/s², millidegrees/s); nullopt for others.
std::optional<proto::native::InputDatagram> sensor_datagram(uint32_t index,
                                                            int sensor,
                                                            const float data[3]);
// An SDL touchpad event (finger 0-1, x/y 0..1) as punktfunk/1 gamepad touchpad.
std::optional<proto::native::InputDatagram> touchpad_datagram(uint32_t index,
                                                              uint32_t event,
                                                              int finger,
                                                              float x,
                                                              float y);

}  // namespace pf::client
