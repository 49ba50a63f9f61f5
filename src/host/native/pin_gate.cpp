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
    Lockout& l = lockouts_[who];
    l.count = l.count > 0 && now_ns - l.last_ns < kLockoutMemoryNs ? l.count + 1 : 1;
    l.last_ns = now_ns;
    l.until_ns = now_ns + (kLockoutNs << std::min(l.count - 1, kMaxDoublings));
    f.clear();
  }
  // Bound the bookkeeping: forget addresses with no recent failures, and lockouts a day old.
  if (failures_.size() > 4096)
    std::erase_if(failures_, [](const auto& kv) { return kv.second.empty(); });
  if (lockouts_.size() > 4096)
    std::erase_if(lockouts_, [&](const auto& kv) {
      return now_ns >= kv.second.until_ns && now_ns - kv.second.last_ns >= kLockoutMemoryNs;
    });
}

bool PinGate::locked_out(const std::string& who, int64_t now_ns) const {
  std::lock_guard lock(mu_);
  auto it = lockouts_.find(who);
  return it != lockouts_.end() && now_ns < it->second.until_ns;
}

}  // namespace pf::host::native
