// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>

// How a frame's packets are spread over time (punktfunk-protocol.md section
// 4, "Pacing"): in groups of max(min_group_bytes, window at the pacing rate),
// group starts evenly spaced at that rate. A pure function: the sender's
// thread sleeps until each group's offset and hands the group to the socket
// (one sendmmsg, GSO inside), which keeps bursts short enough for switch and
// NIC queues without a syscall per packet.
namespace pf::session {

struct PacingRule {
  size_t min_group_bytes = 16 * 1024;
  uint64_t window_ns = 500'000;  // 0.5 ms of data at the current rate
};

struct PacingPlan {
  size_t packets_per_group = 0;
  size_t groups = 0;
  uint64_t interval_ns = 0;  // between group starts; 0 = send at once
  uint64_t span_ns() const { return groups > 0 ? (groups - 1) * interval_ns : 0; }
  // When group g starts, relative to the frame's first group.
  uint64_t offset_ns(size_t g) const { return g * interval_ns; }
};

// rate_bps: the pacing rate (bits/s), 0 = unpaced (one group).
PacingPlan plan_pacing(size_t packets,
                       size_t packet_bytes,
                       uint64_t rate_bps,
                       const PacingRule& rule = {});

}  // namespace pf::session
