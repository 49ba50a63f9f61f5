// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/input/touch_map.h"

#include <algorithm>
#include <cmath>

namespace pf::client {

namespace pn = proto::native;

std::optional<pn::InputDatagram> TouchMap::on(Phase phase, int64_t finger, float x, float y) {
  size_t slot = kContacts;
  for (size_t i = 0; i < kContacts; ++i)
    if (fingers_[i] == finger)
      slot = i;
  if (phase == Phase::kDown && slot == kContacts)
    for (size_t i = 0; i < kContacts && slot == kContacts; ++i)
      if (!fingers_[i]) {
        fingers_[i] = finger;
        slot = i;
      }
  if (slot == kContacts)
    return std::nullopt;
  const auto scale = [](float v) {
    return static_cast<int32_t>(
        std::lround(std::clamp(std::isfinite(v) ? v : 0.f, 0.f, 1.f) * 65535));
  };
  pn::InputDatagram d{static_cast<uint8_t>(pn::InputKind::kTouch), static_cast<uint32_t>(slot),
                      scale(x), scale(y),
                      phase == Phase::kDown   ? 0u
                      : phase == Phase::kMove ? 1u
                                              : 2u};
  if (phase == Phase::kUp)
    fingers_[slot].reset();
  return d;
}

size_t TouchMap::active() const {
  return static_cast<size_t>(
      std::count_if(fingers_.begin(), fingers_.end(), [](const auto& f) { return f.has_value(); }));
}

}  // namespace pf::client
