// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/input/libei_injector.h"

#include <linux/input-event-codes.h>
#include <poll.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

namespace pf::host {

using proto::native::InputKind;

Result<std::unique_ptr<LibeiInjector>> LibeiInjector::open(const EiApi& api,
                                                           const std::string& socket,
                                                           std::chrono::milliseconds timeout) {
  const char* env = std::getenv("LIBEI_SOCKET");
  const std::string path = socket.empty() ? (env ? env : "") : socket;
  if (path.empty())
    return make_error(StatusCode::kUnavailable,
                      "no EIS socket: LIBEI_SOCKET is not set (the compositor's emulated-input "
                      "server)");
  std::unique_ptr<LibeiInjector> in(new LibeiInjector(api));
  in->ei_ = api.new_sender(nullptr);
  if (!in->ei_)
    return make_error(StatusCode::kInternal, "libei: cannot make a sender context");
  api.configure_name(in->ei_, "punktfunk-host");
  if (const int r = api.setup_backend_socket(in->ei_, path.c_str()); r < 0)
    return make_error(StatusCode::kUnavailable,
                      fmt::format("libei: cannot connect to {}: {}", path, std::strerror(-r)));
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!in->connected_ && !in->disconnected_) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0)
      return make_error(StatusCode::kTimeout,
                        fmt::format("libei: {} did not accept the connection in time", path));
    pollfd p{api.get_fd(in->ei_), POLLIN, 0};
    ::poll(&p, 1, static_cast<int>(left));
    in->poll();
  }
  if (in->disconnected_)
    return make_error(StatusCode::kPermissionDenied,
                      fmt::format("libei: {} refused the connection", path));
  return in;
}

LibeiInjector::~LibeiInjector() {
  for (const Touch& t : touches_)
    api_.touch_unref(t.touch);
  for (const Device& d : devices_)
    api_.device_unref(d.dev);
  if (ei_)
    api_.unref(ei_);
}

void LibeiInjector::poll() {
  api_.dispatch(ei_);
  while (::ei_event* e = api_.get_event(ei_)) {
    handle(e);
    api_.event_unref(e);
  }
}

void LibeiInjector::handle(::ei_event* e) {
  const int type = api_.event_get_type(e);
  switch (type) {
    case EiApi::kConnect:
      connected_ = true;
      break;
    case EiApi::kDisconnect:
      disconnected_ = true;
      break;
    case EiApi::kSeatAdded:
      api_.seat_bind_capabilities(api_.event_get_seat(e), EiApi::kPointer, EiApi::kPointerAbsolute,
                                  EiApi::kButton, EiApi::kScroll, EiApi::kKeyboard, EiApi::kTouch,
                                  nullptr);
      break;
    case EiApi::kDeviceAdded:
      devices_.push_back({api_.device_ref(api_.event_get_device(e)), false});
      break;
    case EiApi::kDeviceRemoved:
    case EiApi::kDevicePaused:
    case EiApi::kDeviceResumed: {
      ::ei_device* dev = api_.event_get_device(e);
      auto it = std::find_if(devices_.begin(), devices_.end(),
                             [dev](const Device& d) { return d.dev == dev; });
      if (it == devices_.end())
        break;
      if (type == EiApi::kDeviceRemoved) {
        for (const Touch& t : touches_)  // contacts die with their device
          api_.touch_unref(t.touch);
        touches_.clear();
        api_.device_unref(it->dev);
        devices_.erase(it);
      } else if (type == EiApi::kDevicePaused) {
        it->resumed = false;
      } else {
        it->resumed = true;
        api_.device_start_emulating(it->dev, ++sequence_);
      }
      break;
    }
    default:
      break;
  }
}

::ei_device* LibeiInjector::device_with(int capability) const {
  for (const Device& d : devices_)
    if (d.resumed && api_.device_has_capability(d.dev, capability))
      return d.dev;
  return nullptr;
}

size_t LibeiInjector::active_devices() const {
  return static_cast<size_t>(
      std::count_if(devices_.begin(), devices_.end(), [](const Device& d) { return d.resumed; }));
}

void LibeiInjector::frame(::ei_device* d) {
  api_.device_frame(d, api_.now(ei_));
}

void LibeiInjector::inject(const proto::native::InputDatagram& e) {
  poll();  // devices come and go (paused while the compositor does not accept input)
  if (disconnected_) {
    ++stats_.unsupported;
    return;
  }
  auto drop = [&] { ++stats_.unsupported; };
  ::ei_device* d = nullptr;
  switch (static_cast<InputKind>(e.kind)) {
    case InputKind::kKeyDown:
    case InputKind::kKeyUp:
      if (!(d = device_with(EiApi::kKeyboard)))
        return drop();
      api_.device_keyboard_key(d, e.code, e.kind == static_cast<uint8_t>(InputKind::kKeyDown));
      break;
    case InputKind::kText: {
      const auto k = text_keysym(e.code) ? layout_.find_char(e.code) : std::nullopt;
      if (!k) {
        ++stats_.unmapped;
        return;
      }
      if (!(d = device_with(EiApi::kKeyboard)))
        return drop();
      if (k->shift)
        api_.device_keyboard_key(d, KEY_LEFTSHIFT, true);
      api_.device_keyboard_key(d, k->code, true);
      api_.device_keyboard_key(d, k->code, false);
      if (k->shift)
        api_.device_keyboard_key(d, KEY_LEFTSHIFT, false);
      break;
    }
    case InputKind::kMouseRelative:
      if (!(d = device_with(EiApi::kPointer)))
        return drop();
      api_.device_pointer_motion(d, e.x, e.y);
      break;
    case InputKind::kMouseAbsolute:
    case InputKind::kTouch: {
      const bool touch = e.kind == static_cast<uint8_t>(InputKind::kTouch);
      if (!(d = device_with(touch ? EiApi::kTouch : EiApi::kPointerAbsolute)))
        return drop();
      ::ei_region* r = api_.device_get_region(d, 0);
      if (!r)
        return drop();
      const double x = api_.region_get_x(r) +
                       std::clamp(e.x, 0, 65535) / 65535.0 * (api_.region_get_width(r) - 1);
      const double y = api_.region_get_y(r) +
                       std::clamp(e.y, 0, 65535) / 65535.0 * (api_.region_get_height(r) - 1);
      if (!touch) {
        api_.device_pointer_motion_absolute(d, x, y);
        break;
      }
      // flags: 0 down, 1 move, 2 up; code = contact id.
      auto it = std::find_if(touches_.begin(), touches_.end(),
                             [&](const Touch& t) { return t.id == e.code; });
      if (e.flags == 0 && it == touches_.end()) {
        ::ei_touch* t = api_.device_touch_new(d);
        if (!t)
          return drop();
        api_.touch_down(t, x, y);
        touches_.push_back({e.code, t});
      } else if (e.flags == 1 && it != touches_.end()) {
        api_.touch_motion(it->touch, x, y);
      } else if (e.flags == 2 && it != touches_.end()) {
        api_.touch_up(it->touch);
        api_.touch_unref(it->touch);
        touches_.erase(it);
      } else {
        ++stats_.unmapped;
        return;
      }
      break;
    }
    case InputKind::kButtonDown:
    case InputKind::kButtonUp:
      if (!(d = device_with(EiApi::kButton)))
        return drop();
      api_.device_button_button(d, e.code, e.kind == static_cast<uint8_t>(InputKind::kButtonDown));
      break;
    case InputKind::kScroll:
    case InputKind::kHScroll: {
      // libei counts 120 a wheel click like the input model, but down and
      // right positive; the model counts up as positive.
      if (!(d = device_with(EiApi::kScroll)))
        return drop();
      const bool vertical = e.kind == static_cast<uint8_t>(InputKind::kScroll);
      api_.device_scroll_discrete(d, vertical ? 0 : e.x, vertical ? -e.y : 0);
      break;
    }
    case InputKind::kPen:  // no pens here: the pointer, pressed while the pen touches
      for (const auto& pe : pen_as_pointer(e))
        inject(pe);
      return;
    default:
      ++stats_.unsupported;
      return;
  }
  frame(d);
  ++stats_.injected;
}

}  // namespace pf::host
