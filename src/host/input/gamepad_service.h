// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "host/input/force_feedback.h"
#include "host/input/virtual_device.h"
#include "proto/native/datagrams.h"

namespace pf::host {

struct GamepadStats {
  uint64_t pads_created = 0;
  uint64_t events = 0;    // sent to a pad
  uint64_t dropped = 0;   // no device (backend unavailable, creation failed)
  uint64_t unmapped = 0;  // a code the pad does not have, or a pad index out of range
  uint64_t rumbles = 0;   // rumble messages for clients (force feedback from games)
};

// Virtual gamepads for every client's controllers: the first event of a
// client's pad N (code = N << 16 | evdev code) claims the lowest free of 16
// slots for that (session, N) — two clients' pad 0 are two pads — and slot S
// is "punktfunk gamepad S+1": a DualSense-style pad when the client said its
// pad is a PlayStation one (arrival), with motion sensors and touchpad, else
// an Xbox 360-style device (USB 045e:028e, the
// layout of the kernel's xpad driver: sticks ±32767, triggers 0..255, the
// d-pad as a hat, X and Y as xpad reports them) that games recognise without
// configuration. Devices live as long as the service, so a game keeps seeing
// the same pads across reconnects; one whose events fail (it vanished) is made
// again with the next event. release_owner() (a session ended) lets go of
// that session's buttons, centres its sticks and triggers and frees its
// slots; release_all() does it for everyone. Force feedback: the pads take
// games' rumble effects (uinput FF); every 10 ms the service reads what games
// asked and hands the rumble to the sink for the slot's session and its pad
// number, in the form FfTracker gives it (bounded durations, refreshed).
// Thread model: thread-safe (sessions inject from their own threads; the sink is called from the
// service's poll thread, outside its lock).
class GamepadService {
 public:
  static constexpr uint32_t kMaxPads = 16;

  explicit GamepadService(std::unique_ptr<VirtualDeviceBackend> backend);
  ~GamepadService();

  // Gamepad buttons and axes; false for any other kind (not ours). `owner`:
  // who sent it (a punktfunk/1 session id; 0 = the GameStream session).
  bool inject(const proto::native::InputDatagram& event, uint32_t owner = 0);
  // A session ended: its pads let go of everything and their slots are free
  // for the next client (the devices stay, so games keep them).
  void release_owner(uint32_t owner);
  using RumbleSink = std::function<void(uint32_t owner, uint32_t pad, const Rumble& rumble)>;
  // Starts reading force feedback from the pads (a thread polling every kPollMs).
  void set_rumble_sink(RumbleSink sink);
  // Stops the poll thread; the sink is not called after this returns.
  void stop_rumble();
  // One poll (the thread's work; tests call it with their own clock).
  void poll_rumble(int64_t now_ms);
  static constexpr int kPollMs = 10;
  void release_all();
  GamepadStats stats() const;

  static VirtualDeviceSpec xbox360_spec(uint32_t pad);
  // A DualSense-style pad is three devices, as the kernel's hid-playstation
  // driver makes them: the pad (USB 054c:0ce6; sticks and triggers 0..255,
  // L2/R2 also as buttons, the d-pad as a hat), its motion sensors
  // (accelerometer 8192 units/g, gyroscope 1024 units/(deg/s), MSC_TIMESTAMP)
  // and its touchpad (two fingers, 1920x1080, click as BTN_LEFT).
  static VirtualDeviceSpec dualsense_spec(uint32_t pad);
  static VirtualDeviceSpec dualsense_motion_spec(uint32_t pad);
  static VirtualDeviceSpec dualsense_touchpad_spec(uint32_t pad);

 private:
  enum class Layout { kXbox360, kDualSense };
  struct Pad {
    Layout layout = Layout::kXbox360;  // set by the client's arrival message
    std::unique_ptr<VirtualDevice> device;
    std::unique_ptr<VirtualDevice> motion, touchpad;  // DualSense only
    uint8_t fingers = 0;                              // touchpad: bit n = finger n down
    int32_t next_tracking_id = 0;
    bool l2 = false, r2 = false;  // DualSense: the triggers' button halves
    std::vector<uint16_t> held;   // buttons down
    uint8_t dpad = 0;             // bit0 up, bit1 down, bit2 left, bit3 right
    bool warned = false;
    bool claimed = false;       // a client's pad is on this slot
    uint32_t owner = 0;         // that client's session (0 = GameStream)
    uint32_t client_index = 0;  // and its pad number there
    FfTracker ff;
  };
  Pad* slot_for(uint32_t owner, uint32_t client_index);
  Pad* device_for(uint32_t index);
  void release_locked(Pad& pad);
  void send(Pad& pad, uint16_t type, uint16_t code, int32_t value);
  struct Ev {
    uint16_t type, code;
    int32_t value;
  };
  // Events and a sync to one of a pad's devices; a device that fails is
  // dropped (made again with the pad's next event).
  void send_to(std::unique_ptr<VirtualDevice>& dev, std::initializer_list<Ev> events);
  void arrive(Pad& pad, Layout layout);
  void motion(Pad& pad, uint32_t sensor, const proto::native::InputDatagram& e);
  void touch(Pad& pad, uint32_t finger, const proto::native::InputDatagram& e);

  std::unique_ptr<VirtualDeviceBackend> backend_;
  mutable std::mutex mu_;
  std::array<Pad, kMaxPads> pads_;
  GamepadStats stats_;
  RumbleSink sink_;
  std::mutex poll_mu_;
  std::condition_variable poll_cv_;
  bool stop_ = false;
  std::thread poller_;
};

}  // namespace pf::host
