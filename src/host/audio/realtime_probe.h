// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <string>

namespace pf::host {

// Whether the PipeWire data thread of this host can run real-time
// (SCHED_FIFO, as PipeWire's module-rt asks for it): tried on a thread of its
// own — allowed as root or with CAP_SYS_NICE or RLIMIT_RTPRIO — else through
// RTKit (rtkit-daemon running). Without it, the mic source and the desktop
// audio capture run SCHED_OTHER and may miss cycles on a loaded machine.
struct RealtimeVerdict {
  bool available = false;
  std::string reason;
};
RealtimeVerdict probe_realtime_audio();

}  // namespace pf::host
