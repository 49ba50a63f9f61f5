// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/link.h"

// One cell of the loss-harness sweep: `frames` frames of `frame_bytes`
// through Packetizer -> simulated link -> Reassembler, no network.
namespace pf::tools {

enum class LossModel { kUniform, kBursty };

struct Cell {
  LossModel model = LossModel::kUniform;
  double loss = 0.0;       // 0..1
  double burst_len = 8.0;  // mean burst length (bursty only)
  unsigned fec_percent = 20;
  size_t frame_bytes = 100'000;
  size_t frames = 500;
  uint16_t shard_bytes = 1408;
  uint64_t seed = 1;
};

struct CellResult {
  size_t frames_intact = 0, frames_lost = 0, frames_corrupt = 0;
  uint64_t packets_sent = 0, packets_dropped = 0, shards_recovered = 0;
  double tx_us_per_frame = 0, rx_us_per_frame = 0;  // thread CPU time
  double delivered_percent() const;
};

CellResult run_cell(const Cell& cell);

const char* to_string(LossModel m);

}  // namespace pf::tools
