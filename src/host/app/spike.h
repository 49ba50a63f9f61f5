// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <string>

#include "base/clock.h"
#include "base/status.h"

namespace pf::host {

enum class SpikeSource { kSynthetic, kX11, kPipeWire, kWayland, kPortal };

struct SpikeOptions {
  SpikeSource source = SpikeSource::kSynthetic;
  // kX11: the display to capture; empty = spawn a headless Xvfb of the mode
  // and draw the synthetic pattern into it (so the real capture path runs).
  // kPipeWire: "pipewire:<node>" to capture; empty = a new virtual monitor
  // of the GNOME Mutter on the session bus.
  // kWayland: "wayland:<output>" of the sway on $WAYLAND_DISPLAY; empty = a
  // new headless output of the sway on $SWAYSOCK.
  // kPortal: what the XDG desktop portal shares (the user picks a monitor);
  // the spike runs at that monitor's size.
  std::string display;
  // Every access unit also goes through a core host->client session
  // (packetize + FEC + seal, simulated loss, reassemble) and is compared.
  double loss_percent = 2.0;
  int fec_percent = 20;
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
  // capture start -> encoded (the pipeline latency), and its parts.
  double encode_ms_p50 = 0, encode_ms_p99 = 0, encode_ms_max = 0;
  double capture_ms_p50 = 0, capture_ms_p99 = 0;
  double packetize_ms_p50 = 0, packetize_ms_p99 = 0;
  // The core round trip.
  uint32_t au_intact = 0, au_lost = 0, au_mismatched = 0;
  uint64_t shards_recovered = 0;
  std::string source_name;
  double wall_seconds = 0;
};

// M0 pipeline spike: source -> libx264 -> file, every access unit also
// round-tripped through a core session, with progress on the log once per
// second. Stops after `seconds` or when `stop` becomes true.
Result<SpikeReport> run_spike(const SpikeOptions& options,
                              const Clock& clock,
                              const volatile bool* stop = nullptr);

}  // namespace pf::host
