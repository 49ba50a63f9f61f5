// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/input/force_feedback.h"

#include "base/overloaded.h"

#include <algorithm>
#include <limits>

namespace pf::host {

void FfTracker::on(const FfRequest& request, int64_t now_ms) {
  std::visit(Overloaded{[&](const FfUpload& u) { effects_[u.id] = u.effect; },
                        [&](const FfErase& e) {
                          effects_.erase(e.id);
                          playing_.erase(e.id);
                        },
                        [&](const FfPlay& p) {
                          auto it = effects_.find(p.id);
                          if (p.count <= 0 || it == effects_.end()) {
                            playing_.erase(p.id);
                            return;
                          }
                          const FfEffect& e = it->second;
                          const int64_t start = now_ms + e.delay_ms;
                          const int64_t end =
                              e.length_ms == 0
                                  ? std::numeric_limits<int64_t>::max()
                                  : start + static_cast<int64_t>(e.length_ms) * p.count;
                          playing_[p.id] = Playing{start, end};
                        },
                        [&](const FfGain& g) { gain_ = g.gain; }},
             request);
}

Rumble FfTracker::mix(int64_t now_ms) const {
  uint32_t strong = 0, weak = 0;
  int64_t until = std::numeric_limits<int64_t>::max();
  for (const auto& [id, p] : playing_) {
    if (now_ms < p.start_ms || now_ms >= p.end_ms)
      continue;
    const auto it = effects_.find(id);
    if (it == effects_.end() || it->second.kind == FfEffect::Kind::kOther)
      continue;
    strong = std::max<uint32_t>(strong, it->second.strong);
    weak = std::max<uint32_t>(weak, it->second.weak);
    until = std::min(until, p.end_ms);
  }
  Rumble r;
  r.low = static_cast<uint16_t>(strong * gain_ / 0xFFFF);
  r.high = static_cast<uint16_t>(weak * gain_ / 0xFFFF);
  if (r.low || r.high)
    r.duration_ms = static_cast<uint16_t>(std::clamp<int64_t>(until - now_ms, 1, kMaxDurationMs));
  return r;
}

std::optional<Rumble> FfTracker::poll(int64_t now_ms) {
  // Effects that ended are forgotten (a game replays them with a new FfPlay).
  std::erase_if(playing_, [&](const auto& kv) { return now_ms >= kv.second.end_ms; });
  const Rumble now = mix(now_ms);
  const bool on = now.low || now.high;
  const bool changed = now.low != sent_.low || now.high != sent_.high;
  if (!changed && !(on && now_ms - sent_at_ms_ >= kRefreshMs))
    return std::nullopt;
  sent_ = now;
  sent_at_ms_ = now_ms;
  return now;
}

}  // namespace pf::host
