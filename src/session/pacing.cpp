// SPDX-License-Identifier: MIT OR Apache-2.0
#include "session/pacing.h"

#include <algorithm>

namespace pf::session {

PacingPlan plan_pacing(size_t packets,
                       size_t packet_bytes,
                       uint64_t rate_bps,
                       const PacingRule& rule) {
  PacingPlan p;
  if (packets == 0 || packet_bytes == 0)
    return p;
  if (rate_bps == 0) {
    p.packets_per_group = packets;
    p.groups = 1;
    return p;
  }
  // Bytes the link carries in one window at this rate (128-bit safe: the
  // product fits in 64 bits for any rate below 36 Tbit/s).
  const uint64_t window_bytes = rate_bps / 8 * rule.window_ns / 1'000'000'000ull +
                                rate_bps % 8 * rule.window_ns / 8'000'000'000ull;
  const uint64_t group_bytes = std::max<uint64_t>(rule.min_group_bytes, window_bytes);
  p.packets_per_group =
      static_cast<size_t>(std::max<uint64_t>(1, (group_bytes + packet_bytes - 1) / packet_bytes));
  p.packets_per_group = std::min(p.packets_per_group, packets);
  p.groups = (packets + p.packets_per_group - 1) / p.packets_per_group;
  // A group of n packets occupies n * bytes * 8 / rate seconds of link time.
  const uint64_t group_bits = uint64_t{p.packets_per_group} * packet_bytes * 8;
  p.interval_ns = p.groups > 1 ? static_cast<uint64_t>(static_cast<unsigned __int128>(group_bits) *
                                                       1'000'000'000ull / rate_bps)
                               : 0;
  return p;
}

}  // namespace pf::session
