// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/audio/playout.h"

#include <algorithm>
#include <cmath>

namespace pf::client {

double Playout::target_ms() const {
  return std::clamp(10.0 + 3.0 * jitter_ms_, 10.0, 80.0);
}

Playout::Decision Playout::on_packet(int64_t now_ns, size_t frames, size_t queued_frames) {
  if (last_arrival_ns_ != 0) {
    // How much later (or earlier) than its media spacing this packet came.
    const double arrival_ms = static_cast<double>(now_ns - last_arrival_ns_) / 1e6;
    const double media_ms = static_cast<double>(last_frames_) * 1000.0 / kRate;
    jitter_ms_ += (std::abs(arrival_ms - media_ms) - jitter_ms_) / 16.0;
  }
  last_arrival_ns_ = now_ns;
  last_frames_ = frames;

  Decision d;
  const double queued_ms = static_cast<double>(queued_frames) * 1000.0 / kRate;
  const double packet_ms = static_cast<double>(frames) * 1000.0 / kRate;
  if (playing_ && queued_frames == 0) {  // ran dry: hold until the target is back
    playing_ = false;
    ++underruns_;
    d.pause = true;
  }
  if (!playing_) {
    if (queued_ms + packet_ms >= target_ms()) {
      playing_ = true;
      d.start = true;
    }
    return d;
  }
  if (queued_ms > target_ms() + 20.0) {
    d.queue = false;
    ++dropped_;
  }
  return d;
}

}  // namespace pf::client
