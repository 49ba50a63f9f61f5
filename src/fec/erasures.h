// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "base/status.h"

namespace pf::fec {

// The largest shard either codec takes (a shard is a datagram's payload; a
// bigger value is a caller's mistake or a hostile header, and refused before
// anything is allocated or touched).
inline constexpr size_t kMaxShardBytes = size_t{1} << 20;

// The argument checks of encode: k data and m parity pointers, none null.
Status check_shard_pointers(size_t k, size_t m, const uint8_t* const* data, uint8_t* const* parity);

// The argument and loss checks every decoder shares: a shard array, a present
// mask of exactly k + m entries, a buffer for every shard that is present or
// is data to rebuild (a missing parity shard's may be null), and at least k
// shards present whenever data was lost. On success *lost_data holds the
// number of missing data shards (0: nothing to do).
Status check_erasures(size_t k,
                      size_t m,
                      uint8_t* const* shards,
                      std::span<const uint8_t> present,
                      size_t* lost_data);

}  // namespace pf::fec
