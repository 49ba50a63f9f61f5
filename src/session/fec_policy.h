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

// The largest block whose shards fit GF(2^8) (k + m <= 255) at this
// percentage: the default block limit. Decoding such blocks costs in
// proportion to the shards lost, so at multi-Gbit/s a frame cut into them
// decodes many times faster than one GF(2^16) block (docs/performance.md).
size_t gf8_block_limit(unsigned fec_percent);

// Splits `total` data shards into as few blocks of at most `block_limit` (and
// max_data_shards()) as possible. Every block but the last has the same
// k0 = ceil(total / blocks), so a receiver places block i's data at shard
// i * k0 from its header alone; the last block has the rest (1..k0).
// Block i gets block_data_shards(total, blocks, i).
size_t block_count(size_t total, unsigned fec_percent, size_t block_limit = kMaxDataShardsPerBlock);
size_t block_data_shards(size_t total, size_t blocks, size_t index);

}  // namespace pf::session
