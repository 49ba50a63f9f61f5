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

}  // namespace pf::host
