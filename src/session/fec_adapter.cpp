// SPDX-License-Identifier: MIT OR Apache-2.0
#include "session/fec_adapter.h"

#include <algorithm>
#include <cmath>

namespace pf::session {

FecAdapter::FecAdapter(unsigned initial_percent)
    : percent_(std::clamp(initial_percent, kMin, kMax)) {}

unsigned FecAdapter::on_report(const LossReport& r) {
  const double expected = static_cast<double>(r.packets_received) + r.shards_lost;
  if (expected <= 0)
    return percent_;  // no video in this interval: nothing learned
  last_loss_ = r.shards_lost / expected;
  // Parity of three times the loss rate plus a margin rides out the bursts
  // that average loss hides; a lost frame means even that was too little.
  unsigned target = static_cast<unsigned>(std::ceil(last_loss_ * 300.0)) + kMin;
  if (r.frames_lost > 0)
    target = std::max(target, std::min(percent_ * 3 / 2, percent_ + 10));
  target = std::clamp(target, kMin, kMax);
  if (target > percent_)
    percent_ = target;  // raise fast
  else if (target < percent_)
    --percent_;  // decay slowly
  return percent_;
}

}  // namespace pf::session
