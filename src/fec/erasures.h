// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "base/status.h"

namespace pf::fec {

// The argument and loss checks every decoder shares: a shard array, a present
// mask of k + m entries, and at least k shards present whenever data was lost.
// On success *lost_data holds the number of missing data shards (0: nothing to do).
Status check_erasures(size_t k,
                      size_t m,
                      const void* shards,
                      std::span<const uint8_t> present,
                      size_t* lost_data);

}  // namespace pf::fec
