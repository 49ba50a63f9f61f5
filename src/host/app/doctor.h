// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <string>
#include <vector>

namespace pf::host {

// One probe's verdict, printed by `punktfunk-host doctor`.
struct ProbeResult {
  std::string subsystem;  // "encode", "vdisplay", "input", ...
  std::string backend;    // "libx264", "xvfb", ...
  bool available = false;
  std::string reason;  // why (not) available, in words a user can act on
};

// Runs every probe; cheap and side-effect free.
std::vector<ProbeResult> run_probes();

// Whether each software encoder holds 1920x1080@60 on this CPU (about 0.1-0.3 s
// each: a few frames encoded): x264, x265 and libaom. HEVC and AV1 are offered
// without `software-codecs` only where they do (core/video_offer.h).
std::vector<ProbeResult> run_codec_probes();

}  // namespace pf::host
