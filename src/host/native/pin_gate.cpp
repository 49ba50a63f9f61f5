// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/native/pin_gate.h"

#include <algorithm>

#include <fmt/format.h>

namespace pf::host::native {

std::string PinGate::open(int64_t now_ns) {
  std::lock_guard lock(mu_);
  // Rejection sampling keeps the 10^6 PINs uniform.
  uint32_t v;
  do {
    v = random_();
  } while (v >= 4'294'000'000u);
  pin_ = fmt::format("{:06d}", v % 1'000'000);
  pin_expires_ns_ = now_ns + kPinLifetimeNs;
  return *pin_;
}

std::optional<std::string> PinGate::peek(int64_t now_ns) const {
  std::lock_guard lock(mu_);
  if (pin_ && now_ns < pin_expires_ns_)
    return pin_;
  return std::nullopt;
}

std::optional<std::string> PinGate::take(int64_t now_ns) {
  std::lock_guard lock(mu_);
  std::optional<std::string> out;
  if (pin_ && now_ns < pin_expires_ns_)
    out = pin_;
  pin_.reset();
  return out;
}

void PinGate::record_failure(const std::string& who, int64_t now_ns) {
  std::lock_guard lock(mu_);
  auto& f = failures_[who];
  std::erase_if(f, [&](int64_t t) { return now_ns - t > kFailureWindowNs; });
  f.push_back(now_ns);
  if (static_cast<int>(f.size()) >= kMaxFailures) {
    locked_until_[who] = now_ns + kLockoutNs;
    f.clear();
  }
  // Bound the bookkeeping: forget addresses with no recent failures.
  if (failures_.size() > 4096)
    std::erase_if(failures_, [](const auto& kv) { return kv.second.empty(); });
}

bool PinGate::locked_out(const std::string& who, int64_t now_ns) const {
  std::lock_guard lock(mu_);
  auto it = locked_until_.find(who);
  return it != locked_until_.end() && now_ns < it->second;
}

}  // namespace pf::host::native
