// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/input/uinput_backend.h"
#include "host/input/uinput_ff_device.h"

#include <fcntl.h>
#include <libevdev/libevdev-uinput.h>
#include <libevdev/libevdev.h>
#include <linux/input.h>
#include <unistd.h>

#include <cstring>

#include <fmt/format.h>

namespace pf::host {
namespace {

constexpr const char* kPath = "/dev/uinput";

class UinputDevice : public VirtualDevice {
 public:
  UinputDevice(libevdev* dev, libevdev_uinput* ui) : dev_(dev), ui_(ui) {}
  ~UinputDevice() override {
    libevdev_uinput_destroy(ui_);
    libevdev_free(dev_);
  }
  Status emit(uint16_t type, uint16_t code, int32_t value) override {
    const int r = libevdev_uinput_write_event(ui_, type, code, value);
    if (r < 0)
      return Status(StatusCode::kUnavailable,
                    fmt::format("uinput: cannot send an event: {}", std::strerror(-r)));
    return Status::ok();
  }

 private:
  libevdev* dev_;
  libevdev_uinput* ui_;
};

}  // namespace

ProbeVerdict UinputBackend::probe() {
  if (::access(kPath, F_OK) != 0)
    return {false, "/dev/uinput is missing (load the module: modprobe uinput)"};
  if (::access(kPath, W_OK) != 0)
    return {false,
            "/dev/uinput is not writable for this user (add it to the group that owns "
            "it, e.g. input, or install the udev rule)"};
  return {true, "/dev/uinput is writable: virtual gamepads work"};
}

Result<std::unique_ptr<VirtualDevice>> UinputBackend::create(const VirtualDeviceSpec& spec) {
  if (const ProbeVerdict v = probe(); !v.available)
    return make_error(StatusCode::kUnavailable, v.reason);
  if (spec.ff_effects_max > 0)
    return create_uinput_ff_device(spec);  // libevdev cannot set up force feedback
  libevdev* dev = libevdev_new();
  if (!dev)
    return make_error(StatusCode::kResourceExhausted, "libevdev: out of memory");
  libevdev_set_name(dev, spec.name.c_str());
  libevdev_set_id_bustype(dev, spec.bustype);
  libevdev_set_id_vendor(dev, spec.vendor);
  libevdev_set_id_product(dev, spec.product);
  libevdev_set_id_version(dev, spec.version);
  if (!spec.keys.empty())
    libevdev_enable_event_type(dev, EV_KEY);
  for (uint16_t k : spec.keys)
    libevdev_enable_event_code(dev, EV_KEY, k, nullptr);
  if (!spec.abs.empty())
    libevdev_enable_event_type(dev, EV_ABS);
  for (const auto& a : spec.abs) {
    input_absinfo info{};
    info.minimum = a.min;
    info.maximum = a.max;
    info.fuzz = a.fuzz;
    info.flat = a.flat;
    info.resolution = a.resolution;
    libevdev_enable_event_code(dev, EV_ABS, a.code, &info);
  }
  if (!spec.rel.empty())
    libevdev_enable_event_type(dev, EV_REL);
  for (uint16_t r : spec.rel)
    libevdev_enable_event_code(dev, EV_REL, r, nullptr);
  if (!spec.msc.empty())
    libevdev_enable_event_type(dev, EV_MSC);
  for (uint16_t m : spec.msc)
    libevdev_enable_event_code(dev, EV_MSC, m, nullptr);
  for (uint16_t p : spec.props)
    libevdev_enable_property(dev, p);
  libevdev_uinput* ui = nullptr;
  const int r = libevdev_uinput_create_from_device(dev, LIBEVDEV_UINPUT_OPEN_MANAGED, &ui);
  if (r < 0) {
    libevdev_free(dev);
    return make_error(StatusCode::kUnavailable,
                      fmt::format("uinput: cannot create '{}': {}", spec.name, std::strerror(-r)));
  }
  return std::unique_ptr<VirtualDevice>(new UinputDevice(dev, ui));
}

}  // namespace pf::host
