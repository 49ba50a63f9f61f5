// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/gamestream/pin_broker.h"

namespace pf::host::gamestream {

std::optional<std::string> PinBroker::wait(const std::string& device_name,
                                           std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  waiting_ = true;
  cancelled_ = false;
  device_ = device_name;
  pin_.reset();
  cv_.wait_for(lock, timeout, [&] { return pin_.has_value() || cancelled_; });
  waiting_ = false;
  auto out = std::move(pin_);
  pin_.reset();
  return out;
}

bool PinBroker::submit(const std::string& pin) {
  std::lock_guard lock(mu_);
  if (!waiting_)
    return false;
  pin_ = pin;
  cv_.notify_all();
  return true;
}

void PinBroker::cancel() {
  std::lock_guard lock(mu_);
  cancelled_ = true;
  cv_.notify_all();
}

std::optional<std::string> PinBroker::waiting_device() const {
  std::lock_guard lock(mu_);
  if (!waiting_)
    return std::nullopt;
  return device_;
}

}  // namespace pf::host::gamestream
