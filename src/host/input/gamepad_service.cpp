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
  if (pad.device)
    return &pad;
  auto dev = backend_ ? backend_->create(xbox360_spec(index))
                      : Result<std::unique_ptr<VirtualDevice>>(
                            make_error(StatusCode::kUnavailable, "no virtual device backend"));
  if (!dev) {
    if (!pad.warned)
      log_warn("gamepad {}: {}; its input is dropped", index + 1, dev.error().message());
    pad.warned = true;
    return nullptr;
  }
  pad.device = std::move(*dev);
  pad.held.clear();
  pad.dpad = 0;
  pad.ff = FfTracker();  // a new device: games upload their effects again
  ++stats_.pads_created;
  log_info("gamepad {}: created an Xbox 360-style virtual pad", index + 1);
  return &pad;
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
  if (kind != InputKind::kGamepadButton && kind != InputKind::kGamepadAxis)
    return false;
  std::lock_guard lock(mu_);
  const uint32_t index = e.code >> 16;
  const auto code = static_cast<uint16_t>(e.code & 0xFFFF);
  // What the event is for the pad, checked before a slot or device is spent on it.
  const bool button = kind == InputKind::kGamepadButton;
  const uint8_t bit = button ? dpad_bit(code) : 0;
  int32_t value = e.x;
  bool known = true;
  if (button) {
    known = bit || is_pad_key(code);
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
  if (!button) {
    send(*pad, EV_ABS, code, value);
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
  const uint16_t key = xpad_code(code);
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
  for (uint16_t a : {ABS_X, ABS_Y, ABS_RX, ABS_RY, ABS_Z, ABS_RZ, ABS_HAT0X, ABS_HAT0Y})
    (void)pad.device->emit(EV_ABS, a, 0);
  if (!pad.device->sync().is_ok())
    pad.device.reset();
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
