// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "host/capture/synthetic_source.h"
#include "host/vdisplay/virtual_display.h"

// A display for tests of what owns displays: counts how many exist, records
// what its injectors got, can be made to die or to refuse a resize.
namespace pf::host::testing {

struct FakeDisplayWorld {
  std::atomic<int> alive_displays{0}, created{0}, resizes{0};
  std::mutex mu;
  std::vector<std::pair<std::string, uint32_t>> injected;  // display address, key code
  std::atomic<bool> fail_create{false};
  std::vector<std::string> dead;  // addresses of displays whose server "died"; guarded by mu
  void kill(const std::string& address) {
    std::lock_guard lock(mu);
    dead.push_back(address);
  }
  bool is_dead(const std::string& address) {
    std::lock_guard lock(mu);
    return std::find(dead.begin(), dead.end(), address) != dead.end();
  }
};

class FakeInjector final : public InputInjector {
 public:
  FakeInjector(FakeDisplayWorld& w, std::string address) : w_(w), address_(std::move(address)) {}
  void inject(const proto::native::InputDatagram& e) override {
    std::lock_guard lock(w_.mu);
    w_.injected.emplace_back(address_, e.code);
    ++stats_.injected;
  }
  const InjectorStats& stats() const override { return stats_; }

 private:
  FakeDisplayWorld& w_;
  std::string address_;
  InjectorStats stats_;
};

class FakeDisplay final : public VirtualDisplay {
 public:
  FakeDisplay(FakeDisplayWorld& w, const DisplayMode& m) : w_(w), mode_(m) {
    number_ = ++w_.created;
    ++w_.alive_displays;
  }
  ~FakeDisplay() override { --w_.alive_displays; }
  std::string backend() const override { return "fake"; }
  std::string address() const override { return "fake:" + std::to_string(number_); }
  DisplayMode mode() const override { return mode_; }
  Status resize(const DisplayMode& m) override {
    ++w_.resizes;
    mode_ = m;
    return Status::ok();
  }
  bool alive() override { return !w_.is_dead(address()); }
  Result<std::unique_ptr<VideoSource>> open_capture(int w, int h, int) override {
    return std::unique_ptr<VideoSource>(std::make_unique<SyntheticSource>(w, h));
  }
  Result<std::unique_ptr<InputInjector>> open_input() override {
    return std::unique_ptr<InputInjector>(std::make_unique<FakeInjector>(w_, address()));
  }
  std::vector<std::string> app_environment() const override { return {"DISPLAY=" + address()}; }

 private:
  FakeDisplayWorld& w_;
  DisplayMode mode_;
  int number_ = 0;
};

inline auto fake_display_factory(FakeDisplayWorld& w) {
  return [&w](const DisplayMode& m) -> Result<std::unique_ptr<VirtualDisplay>> {
    if (w.fail_create)
      return make_error(StatusCode::kUnavailable, "no display today");
    return std::unique_ptr<VirtualDisplay>(std::make_unique<FakeDisplay>(w, m));
  };
}

}  // namespace pf::host::testing
