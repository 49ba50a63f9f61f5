// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "host/input/input_injector.h"
#include "host/input/layout_lookup.h"
#include "host/input/libei_api.h"

namespace pf::host {

// Injects the host's input model through libei (emulated input, the way
// Wayland compositors take it from remote-desktop programs: GNOME 45+,
// Plasma 6, wlroots compositors with an EIS server): a sender context on an
// EIS socket ($LIBEI_SOCKET, or a path) binds the seat's pointer, absolute
// pointer, button, scroll, keyboard and touch capabilities, keeps the
// devices the compositor gives it and sends through the resumed ones: keys
// as evdev codes (text as the default layout's keys), relative motion,
// absolute positions 0..65535 onto the device's first region, buttons,
// scroll in 1/120 units, touch contacts; each event ends with a frame.
// libei is loaded at run time (EiApi): on Debian 12, which has none, this is
// a compiled and unit-tested seam (tests drive it with a fake libei).
// Thread model: one thread at a time.
class LibeiInjector : public InputInjector {
 public:
  // Waits up to `timeout` for the compositor to accept the connection.
  static Result<std::unique_ptr<LibeiInjector>> open(
      const EiApi& api,
      const std::string& socket,
      std::chrono::milliseconds timeout = std::chrono::seconds(2));
  ~LibeiInjector() override;

  void inject(const proto::native::InputDatagram& event) override;
  const InjectorStats& stats() const override { return stats_; }
  // Handles what the compositor sent (devices added, paused, resumed).
  void poll();
  size_t active_devices() const;

 private:
  struct Device {
    ::ei_device* dev = nullptr;
    bool resumed = false;
  };
  explicit LibeiInjector(const EiApi& api) : api_(api) {}
  void handle(::ei_event* e);
  ::ei_device* device_with(int capability) const;
  void frame(::ei_device* d);

  EiApi api_;
  ::ei* ei_ = nullptr;
  bool connected_ = false, disconnected_ = false;
  uint32_t sequence_ = 0;
  std::vector<Device> devices_;
  struct Touch {
    uint32_t id;
    ::ei_touch* touch;
  };
  std::vector<Touch> touches_;
  LayoutLookup layout_;
  InjectorStats stats_;
};

}  // namespace pf::host
