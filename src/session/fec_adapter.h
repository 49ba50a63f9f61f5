// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>

// The host's FEC percentage for punktfunk/1 video (protocol section 4):
// adapted from the client's ReceiverReports between 5 and 50 %, raised at
// once when loss rises (and sharply when whole frames were lost), lowered by
// at most one point per report when the link is clean again.
// Sans-I/O: reports in, a percentage out. Thread model: not thread-safe.
namespace pf::session {

struct LossReport {
  uint32_t frames_received = 0, frames_lost = 0;  // since the previous report
  uint32_t shards_lost = 0;                       // packets that never arrived
  uint32_t shards_recovered = 0;                  // data shards rebuilt with FEC
  uint32_t packets_received = 0;
};

class FecAdapter {
 public:
  static constexpr unsigned kMin = 5, kMax = 50;
  explicit FecAdapter(unsigned initial_percent);
  // Applies one report; returns the percentage to use from now on.
  unsigned on_report(const LossReport& r);
  unsigned percent() const { return percent_; }
  // The loss rate the last report implied (0..1).
  double last_loss() const { return last_loss_; }

 private:
  unsigned percent_;
  double last_loss_ = 0;
};

}  // namespace pf::session
