// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>

#include "base/status.h"

// How a frame is cut into FEC blocks (punktfunk-protocol.md section 4): one
// block per frame up to 32768 data shards, m = max(2, ceil(k * percent / 100)),
// GF(2^8) (Moonlight-compatible Cauchy) while k + m <= 255, GF(2^16) above.
// Pure functions: no state, no allocation.
namespace pf::session {

inline constexpr size_t kMaxDataShardsPerBlock = 32768;
inline constexpr size_t kMaxBlocksPerFrame = 65535;

struct BlockShape {
  uint16_t k = 0;
  uint16_t m = 0;
  bool gf16 = false;
};

// Not narrowed: a caller must check it against the field limits.
size_t parity_for(size_t k, unsigned fec_percent);

// The shape of a block of k data shards (1 <= k <= max_data_shards(percent)).
BlockShape block_shape(size_t k, unsigned fec_percent);

// The largest block (in data shards) whose parity still fits GF(2^16)'s limit
// NextPow2(m) + k <= 65536 at this percentage (32768 up to 100 %).
size_t max_data_shards(unsigned fec_percent);

// Data shards of a frame: its 4-byte length prefix plus the payload, in shards.
size_t data_shards_for(size_t frame_bytes, size_t shard_bytes);

// Splits `total` data shards into as few blocks as possible, sizes as even as
// possible; block i gets block_data_shards(total, blocks, i).
size_t block_count(size_t total, unsigned fec_percent);
size_t block_data_shards(size_t total, size_t blocks, size_t index);

}  // namespace pf::session
