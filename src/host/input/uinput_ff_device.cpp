// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/input/uinput_ff_device.h"

#include <fcntl.h>
#include <linux/uinput.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "base/log.h"

namespace pf::host {

FfEffect effect_from_kernel(const ff_effect& e) {
  FfEffect out;
  out.length_ms = e.replay.length;
  out.delay_ms = e.replay.delay;
  if (e.type == FF_RUMBLE) {
    out.kind = FfEffect::Kind::kRumble;
    out.strong = e.u.rumble.strong_magnitude;
    out.weak = e.u.rumble.weak_magnitude;
  } else if (e.type == FF_PERIODIC) {
    // A periodic wave's strength on both motors (how SDL and many games rumble).
    out.kind = FfEffect::Kind::kPeriodic;
    const auto m = static_cast<uint16_t>(std::min(0xFFFF, std::abs(e.u.periodic.magnitude) * 2));
    out.strong = out.weak = m;
  } else {
    out.kind = FfEffect::Kind::kOther;
  }
  return out;
}

namespace {

Status errno_status(const char* what) {
  return Status(StatusCode::kUnavailable,
                fmt::format("uinput: {}: {}", what, std::strerror(errno)));
}

class UinputFfDevice : public VirtualDevice {
 public:
  explicit UinputFfDevice(int fd) : fd_(fd) {}
  ~UinputFfDevice() override {
    ::ioctl(fd_, UI_DEV_DESTROY);
    ::close(fd_);
  }
  Status emit(uint16_t type, uint16_t code, int32_t value) override {
    input_event ev{};
    ev.type = type;
    ev.code = code;
    ev.value = value;
    if (::write(fd_, &ev, sizeof ev) != static_cast<ssize_t>(sizeof ev))
      return errno_status("cannot send an event");
    return Status::ok();
  }
  std::vector<FfRequest> read_ff() override {
    std::vector<FfRequest> out;
    input_event ev{};
    while (::read(fd_, &ev, sizeof ev) == static_cast<ssize_t>(sizeof ev)) {
      if (ev.type == EV_UINPUT && ev.code == UI_FF_UPLOAD) {
        uinput_ff_upload up{};
        up.request_id = static_cast<uint32_t>(ev.value);
        if (::ioctl(fd_, UI_BEGIN_FF_UPLOAD, &up) < 0)
          continue;
        out.push_back(FfUpload{up.effect.id, effect_from_kernel(up.effect)});
        up.retval = 0;
        ::ioctl(fd_, UI_END_FF_UPLOAD, &up);
      } else if (ev.type == EV_UINPUT && ev.code == UI_FF_ERASE) {
        uinput_ff_erase er{};
        er.request_id = static_cast<uint32_t>(ev.value);
        if (::ioctl(fd_, UI_BEGIN_FF_ERASE, &er) < 0)
          continue;
        out.push_back(FfErase{static_cast<int16_t>(er.effect_id)});
        er.retval = 0;
        ::ioctl(fd_, UI_END_FF_ERASE, &er);
      } else if (ev.type == EV_FF && ev.code == FF_GAIN) {
        out.push_back(FfGain{static_cast<uint16_t>(ev.value)});
      } else if (ev.type == EV_FF) {
        out.push_back(FfPlay{static_cast<int16_t>(ev.code), ev.value});
      }
    }
    return out;
  }

 private:
  int fd_;
};

}  // namespace

Result<std::unique_ptr<VirtualDevice>> create_uinput_ff_device(const VirtualDeviceSpec& spec) {
  const int fd = ::open("/dev/uinput", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return tl::unexpected(errno_status("cannot open /dev/uinput"));
  auto fail = [&](const char* what) {
    Status st = errno_status(what);
    ::close(fd);
    return tl::unexpected(st);
  };
  if (::ioctl(fd, UI_SET_EVBIT, EV_KEY) < 0 || ::ioctl(fd, UI_SET_EVBIT, EV_FF) < 0)
    return fail("UI_SET_EVBIT");
  for (uint16_t k : spec.keys)
    if (::ioctl(fd, UI_SET_KEYBIT, k) < 0)
      return fail("UI_SET_KEYBIT");
  if (!spec.abs.empty() && ::ioctl(fd, UI_SET_EVBIT, EV_ABS) < 0)
    return fail("UI_SET_EVBIT EV_ABS");
  for (const auto& a : spec.abs) {
    uinput_abs_setup abs{};
    abs.code = a.code;
    abs.absinfo.minimum = a.min;
    abs.absinfo.maximum = a.max;
    abs.absinfo.fuzz = a.fuzz;
    abs.absinfo.flat = a.flat;
    abs.absinfo.resolution = a.resolution;
    if (::ioctl(fd, UI_SET_ABSBIT, a.code) < 0 || ::ioctl(fd, UI_ABS_SETUP, &abs) < 0)
      return fail("UI_ABS_SETUP");
  }
  if (!spec.rel.empty() && ::ioctl(fd, UI_SET_EVBIT, EV_REL) < 0)
    return fail("UI_SET_EVBIT EV_REL");
  for (uint16_t r : spec.rel)
    if (::ioctl(fd, UI_SET_RELBIT, r) < 0)
      return fail("UI_SET_RELBIT");
  if (!spec.msc.empty() && ::ioctl(fd, UI_SET_EVBIT, EV_MSC) < 0)
    return fail("UI_SET_EVBIT EV_MSC");
  for (uint16_t m : spec.msc)
    if (::ioctl(fd, UI_SET_MSCBIT, m) < 0)
      return fail("UI_SET_MSCBIT");
  for (uint16_t p : spec.props)
    if (::ioctl(fd, UI_SET_PROPBIT, p) < 0)
      return fail("UI_SET_PROPBIT");
  for (int ff : {FF_RUMBLE, FF_PERIODIC, FF_SINE, FF_TRIANGLE, FF_SQUARE, FF_GAIN})
    if (::ioctl(fd, UI_SET_FFBIT, ff) < 0)
      return fail("UI_SET_FFBIT");
  uinput_setup setup{};
  std::snprintf(setup.name, sizeof setup.name, "%s", spec.name.c_str());
  setup.id.bustype = spec.bustype;
  setup.id.vendor = spec.vendor;
  setup.id.product = spec.product;
  setup.id.version = spec.version;
  setup.ff_effects_max = spec.ff_effects_max;
  if (::ioctl(fd, UI_DEV_SETUP, &setup) < 0)
    return fail("UI_DEV_SETUP");
  if (::ioctl(fd, UI_DEV_CREATE) < 0)
    return fail("UI_DEV_CREATE");
  log_debug("uinput: created '{}' with force feedback ({} effects)", spec.name,
            spec.ff_effects_max);
  return std::unique_ptr<VirtualDevice>(new UinputFfDevice(fd));
}

}  // namespace pf::host
