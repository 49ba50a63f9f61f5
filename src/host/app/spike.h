// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <string>

#include "base/clock.h"
#include "base/status.h"

namespace pf::host {

struct SpikeOptions {
  int width = 1280;
  int height = 720;
  int fps = 60;
  int bitrate_kbps = 10'000;
  double seconds = 5.0;
  bool realtime = true;     // pace frames at `fps`; false = as fast as possible
  std::string output_path;  // Annex-B .h264; empty = do not write
};

struct SpikeReport {
  uint32_t frames = 0;
  uint32_t keyframes = 0;
  uint64_t bytes = 0;
  double encode_ms_p50 = 0, encode_ms_p99 = 0, encode_ms_max = 0;
  double wall_seconds = 0;
};

// M0 pipeline spike: synthetic source -> libx264 -> file, with progress on the
// log once per second. Stops after `seconds` or when `stop` becomes true.
Result<SpikeReport> run_spike(const SpikeOptions& options,
                              const Clock& clock,
                              const volatile bool* stop = nullptr);

}  // namespace pf::host
