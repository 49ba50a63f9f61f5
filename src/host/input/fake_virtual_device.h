// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "host/input/virtual_device.h"

namespace pf::host {

// A VirtualDeviceBackend for tests (this machine has no /dev/uinput): records
// every device it creates and every event sent to it; can be told to refuse
// creation or to fail sends (a device that vanished).
class FakeVirtualDevices : public VirtualDeviceBackend {
 public:
  struct Event {
    uint16_t type, code;
    int32_t value;
    friend bool operator==(const Event&, const Event&) = default;
  };
  struct Device {
    VirtualDeviceSpec spec;
    std::vector<Event> events;
    bool destroyed = false;
    bool fail_sends = false;
    std::vector<FfRequest> ff;  // what a "game" asks of the device; read_ff() takes them
  };
  // A game's force-feedback request to device `index` (thread-safe).
  void game_ff(size_t index, FfRequest r) {
    std::lock_guard lock(mu_);
    devices.at(index)->ff.push_back(r);
  }

  Result<std::unique_ptr<VirtualDevice>> create(const VirtualDeviceSpec& spec) override {
    std::lock_guard lock(mu_);
    if (refuse)
      return make_error(StatusCode::kUnavailable, "fake: /dev/uinput is missing");
    devices.push_back(std::make_shared<Device>(Device{spec, {}, false, false, {}}));
    return std::unique_ptr<VirtualDevice>(new Handle(devices.back(), mu_));
  }

  bool refuse = false;
  std::vector<std::shared_ptr<Device>> devices;

 private:
  class Handle : public VirtualDevice {
   public:
    Handle(std::shared_ptr<Device> d, std::mutex& mu) : d_(std::move(d)), mu_(mu) {}
    ~Handle() override {
      std::lock_guard lock(mu_);
      d_->destroyed = true;
    }
    std::vector<FfRequest> read_ff() override {
      std::lock_guard lock(mu_);
      return std::exchange(d_->ff, {});
    }
    Status emit(uint16_t type, uint16_t code, int32_t value) override {
      std::lock_guard lock(mu_);
      if (d_->fail_sends)
        return Status(StatusCode::kUnavailable, "fake: the device vanished");
      d_->events.push_back({type, code, value});
      return Status::ok();
    }

   private:
    std::shared_ptr<Device> d_;
    std::mutex& mu_;
  };
  std::mutex mu_;
};

}  // namespace pf::host
