// SPDX-License-Identifier: MIT OR Apache-2.0
#include "session/fec_policy.h"

#include <algorithm>

namespace pf::session {
namespace {
size_t next_pow2(size_t v) {
  size_t p = 1;
  while (p < v)
    p <<= 1;
  return p;
}
}  // namespace

size_t parity_for(size_t k, unsigned fec_percent) {
  const size_t m = (k * fec_percent + 99) / 100;
  return m < 2 ? 2 : m;
}

BlockShape block_shape(size_t k, unsigned fec_percent) {
  BlockShape s;
  s.k = static_cast<uint16_t>(k);
  s.m =
      static_cast<uint16_t>(parity_for(k, fec_percent));  // k <= max_data_shards() keeps it < 65536
  s.gf16 = k + s.m > 255;
  return s;
}

size_t max_data_shards(unsigned fec_percent) {
  size_t k = kMaxDataShardsPerBlock;
  while (k > 1 && next_pow2(parity_for(k, fec_percent)) + k > 65536)
    k /= 2;
  return k;
}

size_t gf8_block_limit(unsigned fec_percent) {
  size_t k = 253;  // k + 2 <= 255
  while (k > 1 && k + parity_for(k, fec_percent) > 255)
    --k;
  return k;
}

size_t data_shards_for(size_t frame_bytes, size_t shard_bytes) {
  return (frame_bytes + 4 + shard_bytes - 1) / shard_bytes;
}

size_t block_count(size_t total, unsigned fec_percent, size_t block_limit) {
  const size_t max_k = std::max<size_t>(1, std::min(max_data_shards(fec_percent), block_limit));
  return (total + max_k - 1) / max_k;
}

size_t block_data_shards(size_t total, size_t blocks, size_t index) {
  const size_t k0 = (total + blocks - 1) / blocks;
  return index + 1 < blocks ? k0 : total - (blocks - 1) * k0;
}

}  // namespace pf::session
