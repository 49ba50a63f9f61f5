// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "base/status.h"

// A launched app: `/bin/sh -c <command>` in its own process group with
// DISPLAY pointing at the session's display (or, for a compositor output
// "wayland:NAME", the compositor's WAYLAND_DISPLAY). Stopping it terminates the whole
// group (SIGTERM, then SIGKILL after a grace period) and reaps it.
namespace pf::host {

class AppProcess {
 public:
  static Result<std::unique_ptr<AppProcess>> start(const std::string& command,
                                                   const std::string& display);
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
