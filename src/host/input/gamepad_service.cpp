// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/input/gamepad_service.h"

#include <chrono>

#include <linux/input-event-codes.h>

#include <algorithm>

#include <fmt/format.h>

#include "base/log.h"

namespace pf::host {

using proto::native::InputKind;

namespace {

constexpr uint16_t kPadKeys[] = {BTN_SOUTH,  BTN_EAST,  BTN_NORTH, BTN_WEST,   BTN_TL,    BTN_TR,
                                 BTN_SELECT, BTN_START, BTN_MODE,  BTN_THUMBL, BTN_THUMBR};

bool is_pad_key(uint16_t code) {
  return std::find(std::begin(kPadKeys), std::end(kPadKeys), code) != std::end(kPadKeys);
}

uint8_t dpad_bit(uint16_t code) {
  switch (code) {
    case BTN_DPAD_UP:
      return 1;
    case BTN_DPAD_DOWN:
      return 2;
    case BTN_DPAD_LEFT:
      return 4;
    case BTN_DPAD_RIGHT:
      return 8;
    default:
      return 0;
  }
}

// The input model's buttons are positional (BTN_WEST is the left face
// button); the xpad driver, whose ids our pad has, reports the Xbox X button
// (left) as BTN_X = 0x133 (= BTN_NORTH) and Y (top) as BTN_Y = 0x134, and the
// mappings games use for this pad (SDL's among them) expect exactly that.
uint16_t xpad_code(uint16_t positional) {
  if (positional == BTN_WEST)
    return BTN_X;
  if (positional == BTN_NORTH)
    return BTN_Y;
  return positional;
}

}  // namespace

VirtualDeviceSpec GamepadService::xbox360_spec(uint32_t pad) {
  VirtualDeviceSpec s;
  s.name = fmt::format("punktfunk gamepad {}", pad + 1);
  s.bustype = 0x03;
  s.vendor = 0x045e;
  s.product = 0x028e;
  s.version = 0x0114;
  s.keys.assign(std::begin(kPadKeys), std::end(kPadKeys));
  for (uint16_t a : {ABS_X, ABS_Y, ABS_RX, ABS_RY})
    s.abs.push_back({a, -32768, 32767, 16, 128});
  for (uint16_t a : {ABS_Z, ABS_RZ})
    s.abs.push_back({a, 0, 255, 0, 0});
  for (uint16_t a : {ABS_HAT0X, ABS_HAT0Y})
    s.abs.push_back({a, -1, 1, 0, 0});
  s.ff_effects_max = 16;  // games rumble it (xpad offers FF_RUMBLE too)
  return s;
}

namespace {

constexpr uint16_t kDualSenseKeys[] = {BTN_SOUTH, BTN_EAST,   BTN_NORTH, BTN_WEST,   BTN_TL,
                                       BTN_TR,    BTN_TL2,    BTN_TR2,   BTN_SELECT, BTN_START,
                                       BTN_MODE,  BTN_THUMBL, BTN_THUMBR};
constexpr int32_t kAccelPerG = 8192, kGyroPerDegS = 1024;  // hid-playstation's resolutions
constexpr int32_t kAccelRange = 4 * kAccelPerG, kGyroRange = 2000 * kGyroPerDegS;
constexpr int32_t kTouchW = 1920, kTouchH = 1080;

void dualsense_ids(VirtualDeviceSpec& s, const std::string& name) {
  s.name = name;
  s.bustype = 0x03;
  s.vendor = 0x054c;
  s.product = 0x0ce6;
  s.version = 0x8111;
}

}  // namespace

VirtualDeviceSpec GamepadService::dualsense_spec(uint32_t pad) {
  VirtualDeviceSpec s;
  dualsense_ids(s, fmt::format("punktfunk DualSense {}", pad + 1));
  s.keys.assign(std::begin(kDualSenseKeys), std::end(kDualSenseKeys));
  for (uint16_t a : {ABS_X, ABS_Y, ABS_RX, ABS_RY, ABS_Z, ABS_RZ})
    s.abs.push_back({a, 0, 255, 0, 0});
  for (uint16_t a : {ABS_HAT0X, ABS_HAT0Y})
    s.abs.push_back({a, -1, 1, 0, 0});
  s.ff_effects_max = 16;
  return s;
}

VirtualDeviceSpec GamepadService::dualsense_motion_spec(uint32_t pad) {
  VirtualDeviceSpec s;
  dualsense_ids(s, fmt::format("punktfunk DualSense {} Motion Sensors", pad + 1));
  for (uint16_t a : {ABS_X, ABS_Y, ABS_Z})
    s.abs.push_back({a, -kAccelRange, kAccelRange, 4, 0, kAccelPerG});
  for (uint16_t a : {ABS_RX, ABS_RY, ABS_RZ})
    s.abs.push_back({a, -kGyroRange, kGyroRange, 16, 0, kGyroPerDegS});
  s.msc = {MSC_TIMESTAMP};
  s.props = {INPUT_PROP_ACCELEROMETER};
  return s;
}

VirtualDeviceSpec GamepadService::dualsense_touchpad_spec(uint32_t pad) {
  VirtualDeviceSpec s;
  dualsense_ids(s, fmt::format("punktfunk DualSense {} Touchpad", pad + 1));
  s.keys = {BTN_LEFT, BTN_TOUCH, BTN_TOOL_FINGER, BTN_TOOL_DOUBLETAP};
  s.abs = {{ABS_X, 0, kTouchW - 1, 0, 0},
           {ABS_Y, 0, kTouchH - 1, 0, 0},
           {ABS_MT_SLOT, 0, 1, 0, 0},
           {ABS_MT_TRACKING_ID, 0, 65535, 0, 0},
           {ABS_MT_POSITION_X, 0, kTouchW - 1, 0, 0},
           {ABS_MT_POSITION_Y, 0, kTouchH - 1, 0, 0}};
  s.props = {INPUT_PROP_POINTER, INPUT_PROP_BUTTONPAD};
  return s;
}

GamepadService::GamepadService(std::unique_ptr<VirtualDeviceBackend> backend)
    : backend_(std::move(backend)) {}

GamepadService::~GamepadService() {
  stop_rumble();
}

void GamepadService::stop_rumble() {
  {
    std::lock_guard lock(poll_mu_);
    stop_ = true;
  }
  poll_cv_.notify_all();
  if (poller_.joinable())
    poller_.join();
  std::lock_guard lock(mu_);
  sink_ = nullptr;
}

void GamepadService::set_rumble_sink(RumbleSink sink) {
  {
    std::lock_guard lock(mu_);
    sink_ = std::move(sink);
  }
  if (poller_.joinable())
    return;
  poller_ = std::thread([this] {
    std::unique_lock lock(poll_mu_);
    while (!stop_) {
      lock.unlock();
      poll_rumble(std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now().time_since_epoch())
                      .count());
      lock.lock();
      poll_cv_.wait_for(lock, std::chrono::milliseconds(kPollMs), [this] { return stop_; });
    }
  });
}

void GamepadService::poll_rumble(int64_t now_ms) {
  struct Out {
    uint32_t owner, pad;
    Rumble rumble;
  };
  std::vector<Out> out;
  RumbleSink sink;
  {
    std::lock_guard lock(mu_);
    sink = sink_;
    for (uint32_t i = 0; i < kMaxPads; ++i) {
      Pad& pad = pads_[i];
      if (!pad.device)
        continue;
      for (const FfRequest& r : pad.device->read_ff())
        pad.ff.on(r, now_ms);
      auto r = pad.ff.poll(now_ms);
      if (r && pad.claimed) {  // a free slot's rumble has nobody to feel it
        ++stats_.rumbles;
        out.push_back({pad.owner, pad.client_index, *r});
      }
    }
  }
  if (sink)  // outside the lock: the sink sends to the network
    for (const Out& o : out)
      sink(o.owner, o.pad, o.rumble);
}

GamepadService::Pad* GamepadService::slot_for(uint32_t owner, uint32_t client_index) {
  for (Pad& pad : pads_)
    if (pad.claimed && pad.owner == owner && pad.client_index == client_index)
      return &pad;
  for (Pad& pad : pads_)
    if (!pad.claimed) {
      pad.claimed = true;
      pad.owner = owner;
      pad.client_index = client_index;
      return &pad;
    }
  return nullptr;  // 16 pads in use
}

GamepadService::Pad* GamepadService::device_for(uint32_t index) {
  Pad& pad = pads_[index];
  const bool ds = pad.layout == Layout::kDualSense;
  auto make = [&](const VirtualDeviceSpec& spec) {
    return backend_ ? backend_->create(spec)
                    : Result<std::unique_ptr<VirtualDevice>>(
                          make_error(StatusCode::kUnavailable, "no virtual device backend"));
  };
  if (ds) {  // its sensors and touchpad, made again too when they vanished
    if (!pad.motion)
      if (auto m = make(dualsense_motion_spec(index)))
        pad.motion = std::move(*m);
    if (!pad.touchpad)
      if (auto t = make(dualsense_touchpad_spec(index))) {
        pad.touchpad = std::move(*t);
        pad.fingers = 0;
      }
  }
  if (pad.device)
    return &pad;
  auto dev = make(ds ? dualsense_spec(index) : xbox360_spec(index));
  if (!dev) {
    if (!pad.warned)
      log_warn("gamepad {}: {}; its input is dropped", index + 1, dev.error().message());
    pad.warned = true;
    return nullptr;
  }
  pad.device = std::move(*dev);
  pad.held.clear();
  pad.dpad = 0;
  pad.l2 = pad.r2 = false;
  pad.ff = FfTracker();  // a new device: games upload their effects again
  ++stats_.pads_created;
  log_info("gamepad {}: created {} virtual pad", index + 1,
           ds ? "a DualSense-style (with motion sensors and touchpad)" : "an Xbox 360-style");
  return &pad;
}

void GamepadService::send_to(std::unique_ptr<VirtualDevice>& dev,
                             std::initializer_list<Ev> events) {
  if (!dev) {
    ++stats_.dropped;
    return;
  }
  for (const Ev& e : events)
    if (!dev->emit(e.type, e.code, e.value).is_ok()) {
      dev.reset();  // vanished: made again with the next event
      ++stats_.dropped;
      return;
    }
  if (!dev->sync().is_ok()) {
    dev.reset();
    ++stats_.dropped;
    return;
  }
  ++stats_.events;
}

void GamepadService::arrive(Pad& pad, Layout layout) {
  if (pad.layout == layout)
    return;
  // Another kind of pad on this slot: the old devices go (games see an unplug).
  release_locked(pad);
  pad.claimed = true;  // release_locked freed the slot; the arrival keeps it
  pad.device.reset();
  pad.motion.reset();
  pad.touchpad.reset();
  pad.layout = layout;
  pad.warned = false;
}

void GamepadService::motion(Pad& pad, uint32_t sensor, const proto::native::InputDatagram& e) {
  const int64_t v[3] = {e.x, e.y, static_cast<int32_t>(e.flags)};
  auto conv = [&](int64_t x) {
    // mm/s² -> units of 1/8192 g; millidegrees/s -> units of 1/1024 deg/s.
    return sensor == proto::native::kSensorAccel
               ? static_cast<int32_t>(
                     std::clamp<int64_t>(x * kAccelPerG * 100 / 980665, -kAccelRange, kAccelRange))
               : static_cast<int32_t>(
                     std::clamp<int64_t>(x * kGyroPerDegS / 1000, -kGyroRange, kGyroRange));
  };
  const bool accel = sensor == proto::native::kSensorAccel;
  const auto us = static_cast<int32_t>(
      static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                std::chrono::steady_clock::now().time_since_epoch())
                                .count()));
  send_to(pad.motion, {{EV_ABS, static_cast<uint16_t>(accel ? ABS_X : ABS_RX), conv(v[0])},
                       {EV_ABS, static_cast<uint16_t>(accel ? ABS_Y : ABS_RY), conv(v[1])},
                       {EV_ABS, static_cast<uint16_t>(accel ? ABS_Z : ABS_RZ), conv(v[2])},
                       {EV_MSC, MSC_TIMESTAMP, us}});
}

void GamepadService::touch(Pad& pad, uint32_t finger, const proto::native::InputDatagram& e) {
  const int32_t x = static_cast<int32_t>(std::clamp(e.x, 0, 65535) * int64_t{kTouchW - 1} / 65535);
  const int32_t y = static_cast<int32_t>(std::clamp(e.y, 0, 65535) * int64_t{kTouchH - 1} / 65535);
  const uint8_t bit = static_cast<uint8_t>(1u << finger);
  const auto slot = static_cast<int32_t>(finger);
  if (e.flags == 2) {  // up
    if (!(pad.fingers & bit))
      return;
    pad.fingers = static_cast<uint8_t>(pad.fingers & ~bit);
    send_to(pad.touchpad, {{EV_ABS, ABS_MT_SLOT, slot},
                           {EV_ABS, ABS_MT_TRACKING_ID, -1},
                           {EV_KEY, BTN_TOUCH, pad.fingers ? 1 : 0},
                           {EV_KEY, BTN_TOOL_FINGER, pad.fingers && pad.fingers != 3 ? 1 : 0},
                           {EV_KEY, BTN_TOOL_DOUBLETAP, pad.fingers == 3 ? 1 : 0}});
    return;
  }
  if (e.flags == 0 && !(pad.fingers & bit)) {  // down
    pad.fingers = static_cast<uint8_t>(pad.fingers | bit);
    pad.next_tracking_id = (pad.next_tracking_id + 1) & 0xFFFF;
    send_to(pad.touchpad, {{EV_ABS, ABS_MT_SLOT, slot},
                           {EV_ABS, ABS_MT_TRACKING_ID, pad.next_tracking_id},
                           {EV_ABS, ABS_MT_POSITION_X, x},
                           {EV_ABS, ABS_MT_POSITION_Y, y},
                           {EV_KEY, BTN_TOUCH, 1},
                           {EV_KEY, BTN_TOOL_FINGER, pad.fingers != 3 ? 1 : 0},
                           {EV_KEY, BTN_TOOL_DOUBLETAP, pad.fingers == 3 ? 1 : 0},
                           {EV_ABS, ABS_X, x},
                           {EV_ABS, ABS_Y, y}});
    return;
  }
  if (!(pad.fingers & bit))
    return;  // a move of a finger that is not down
  send_to(pad.touchpad, {{EV_ABS, ABS_MT_SLOT, slot},
                         {EV_ABS, ABS_MT_POSITION_X, x},
                         {EV_ABS, ABS_MT_POSITION_Y, y},
                         {EV_ABS, ABS_X, x},
                         {EV_ABS, ABS_Y, y}});
}

void GamepadService::send(Pad& pad, uint16_t type, uint16_t code, int32_t value) {
  if (!pad.device)
    return;
  if (!pad.device->emit(type, code, value).is_ok() || !pad.device->sync().is_ok()) {
    pad.device.reset();  // vanished: made again with the next event
    ++stats_.dropped;
    return;
  }
  ++stats_.events;
}

bool GamepadService::inject(const proto::native::InputDatagram& e, uint32_t owner) {
  const auto kind = static_cast<InputKind>(e.kind);
  if (kind != InputKind::kGamepadButton && kind != InputKind::kGamepadAxis &&
      kind != InputKind::kGamepadArrival && kind != InputKind::kGamepadMotion &&
      kind != InputKind::kGamepadTouchpad)
    return false;
  std::lock_guard lock(mu_);
  const uint32_t index = e.code >> 16;
  const auto code = static_cast<uint16_t>(e.code & 0xFFFF);
  if (kind == InputKind::kGamepadArrival || kind == InputKind::kGamepadMotion ||
      kind == InputKind::kGamepadTouchpad) {
    const bool valid =
        index < kMaxPads &&
        (kind == InputKind::kGamepadArrival ||
         (kind == InputKind::kGamepadMotion &&
          (code == proto::native::kSensorAccel || code == proto::native::kSensorGyro)) ||
         (kind == InputKind::kGamepadTouchpad && code <= 1 && e.flags <= 2));
    Pad* claimed = valid ? slot_for(owner, index) : nullptr;
    if (!claimed) {
      ++stats_.unmapped;
      return true;
    }
    if (kind == InputKind::kGamepadArrival)
      arrive(*claimed, code == static_cast<uint16_t>(proto::native::GamepadType::kPlayStation)
                           ? Layout::kDualSense
                           : Layout::kXbox360);
    else if (claimed->layout != Layout::kDualSense) {
      ++stats_.unmapped;  // an Xbox-style pad has no sensors or touchpad
      return true;
    }
    Pad* pad = device_for(static_cast<uint32_t>(claimed - pads_.data()));
    if (!pad) {
      ++stats_.dropped;
      return true;
    }
    if (kind == InputKind::kGamepadMotion)
      motion(*pad, code, e);
    else if (kind == InputKind::kGamepadTouchpad)
      touch(*pad, code, e);
    return true;
  }
  // What the event is for the pad, checked before a slot or device is spent on it.
  const bool button = kind == InputKind::kGamepadButton;
  const uint8_t bit = button ? dpad_bit(code) : 0;
  int32_t value = e.x;
  bool known = true;
  if (button) {
    known = bit || is_pad_key(code) || code == BTN_TRIGGER_HAPPY5;  // the touchpad click
  } else if (code == ABS_X || code == ABS_Y || code == ABS_RX || code == ABS_RY) {
    value = std::clamp(value, -32768, 32767);
  } else if (code == ABS_Z || code == ABS_RZ) {
    value = std::clamp(value, 0, 255);
  } else {
    known = false;
  }
  Pad* claimed = known && index < kMaxPads ? slot_for(owner, index) : nullptr;
  if (!claimed) {
    ++stats_.unmapped;
    return true;
  }
  Pad* pad = device_for(static_cast<uint32_t>(claimed - pads_.data()));
  if (!pad) {
    ++stats_.dropped;
    return true;
  }
  const bool ds = pad->layout == Layout::kDualSense;
  if (!button) {
    if (ds && (code == ABS_Z || code == ABS_RZ)) {  // L2/R2 are buttons too
      bool& held = code == ABS_Z ? pad->l2 : pad->r2;
      const bool now = value > 0;
      if (now != held) {
        held = now;
        send(*pad, EV_KEY, code == ABS_Z ? BTN_TL2 : BTN_TR2, now ? 1 : 0);
      }
    } else if (ds) {
      value = (value + 32768) >> 8;  // sticks 0..255, centre 128
    }
    send(*pad, EV_ABS, code, value);
    return true;
  }
  if (code == BTN_TRIGGER_HAPPY5) {  // the touchpad click: the touchpad's button
    if (ds)
      send_to(pad->touchpad, {{EV_KEY, BTN_LEFT, (e.flags & 1) ? 1 : 0}});
    else
      ++stats_.unmapped;
    return true;
  }
  const bool down = e.flags & 1;
  if (bit) {
    pad->dpad = static_cast<uint8_t>(down ? pad->dpad | bit : pad->dpad & ~bit);
    const bool x = bit & 12;
    const int hat = x ? ((pad->dpad >> 3) & 1) - ((pad->dpad >> 2) & 1)
                      : ((pad->dpad >> 1) & 1) - (pad->dpad & 1);
    send(*pad, EV_ABS, x ? ABS_HAT0X : ABS_HAT0Y, hat);
    return true;
  }
  const uint16_t key = ds ? code : xpad_code(code);
  auto it = std::find(pad->held.begin(), pad->held.end(), key);
  if (down && it == pad->held.end())
    pad->held.push_back(key);
  if (!down && it != pad->held.end())
    pad->held.erase(it);
  send(*pad, EV_KEY, key, down ? 1 : 0);
  return true;
}

void GamepadService::release_locked(Pad& pad) {
  pad.claimed = false;
  if (!pad.device)
    return;
  for (uint16_t b : pad.held)
    (void)pad.device->emit(EV_KEY, b, 0);
  pad.held.clear();
  pad.dpad = 0;
  const bool ds = pad.layout == Layout::kDualSense;
  if (ds) {
    for (uint16_t t : {BTN_TL2, BTN_TR2})
      (void)pad.device->emit(EV_KEY, t, 0);
    pad.l2 = pad.r2 = false;
  }
  const int32_t centre = ds ? 128 : 0;
  for (uint16_t a : {ABS_X, ABS_Y, ABS_RX, ABS_RY})
    (void)pad.device->emit(EV_ABS, a, centre);
  for (uint16_t a : {ABS_Z, ABS_RZ, ABS_HAT0X, ABS_HAT0Y})
    (void)pad.device->emit(EV_ABS, a, 0);
  if (!pad.device->sync().is_ok())
    pad.device.reset();
  if (pad.touchpad) {  // fingers lifted, the click let go
    for (int32_t f = 0; f < 2; ++f)
      if (pad.fingers & (1u << f)) {
        (void)pad.touchpad->emit(EV_ABS, ABS_MT_SLOT, f);
        (void)pad.touchpad->emit(EV_ABS, ABS_MT_TRACKING_ID, -1);
      }
    for (uint16_t k : {BTN_LEFT, BTN_TOUCH, BTN_TOOL_FINGER, BTN_TOOL_DOUBLETAP})
      (void)pad.touchpad->emit(EV_KEY, k, 0);
    pad.fingers = 0;
    if (!pad.touchpad->sync().is_ok())
      pad.touchpad.reset();
  }
}

void GamepadService::release_all() {
  std::lock_guard lock(mu_);
  for (Pad& pad : pads_)
    release_locked(pad);
}

void GamepadService::release_owner(uint32_t owner) {
  std::lock_guard lock(mu_);
  for (Pad& pad : pads_)
    if (pad.claimed && pad.owner == owner)
      release_locked(pad);
}

GamepadStats GamepadService::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace pf::host
