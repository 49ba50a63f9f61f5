// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

// A launched app: `/bin/sh -c <command>` in its own process group, with the
// host's environment plus what its session sets (the display's DISPLAY or
// WAYLAND_DISPLAY, the session's PULSE_SINK), holding nothing of the host's
// but stdio, and SIGTERM when the host dies (child_process.h). Stopping it
// terminates the whole group (SIGTERM, then SIGKILL after a grace period) and
// reaps it.
namespace pf::host {

class AppProcess {
 public:
  static Result<std::unique_ptr<AppProcess>> start(const std::string& command,
                                                   const std::vector<std::string>& env_set);
  ~AppProcess();
  pid_t pid() const { return pid_; }
  // True while the app (its shell) is still running.
  bool running();
  void stop(int grace_ms = 2000);

 private:
  AppProcess() = default;
  pid_t pid_ = -1;
};

}  // namespace pf::host
