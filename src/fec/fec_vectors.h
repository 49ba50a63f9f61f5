// SPDX-License-Identifier: MIT OR Apache-2.0
// Test helper: the reference vectors in tests/data/fec-vectors (see its README).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pf::fec::testing {

struct FecVector {
  std::string file;
  std::string codec;  // moonlight-gf8-cauchy, moonlight-audio-4-2, leopard-gf8, leopard-gf16
  size_t k = 0, m = 0, shard_bytes = 0;
  std::vector<uint8_t> bytes;  // (k + m) * shard_bytes: data then parity
  std::vector<std::vector<size_t>> erasure_sets;

  const uint8_t* shard(size_t i) const { return bytes.data() + i * shard_bytes; }
};

// Loads every vector, regenerates its data from the manifest's generator and
// checks that it equals the file's data part (so the file is what we think).
std::vector<FecVector> load_fec_vectors();

}  // namespace pf::fec::testing
