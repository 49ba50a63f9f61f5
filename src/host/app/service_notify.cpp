// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/app/service_notify.h"

#include <systemd/sd-daemon.h>

namespace pf::host {

void notify_ready(const std::string& status) {
  const std::string msg = "READY=1\nSTATUS=" + status;
  (void)sd_notify(0, msg.c_str());
}

void notify_stopping() {
  (void)sd_notify(0, "STOPPING=1");
}

std::optional<std::chrono::microseconds> watchdog_ping_interval() {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
    return std::nullopt;
  return std::chrono::microseconds(usec / 2);
}

void notify_watchdog() {
  (void)sd_notify(0, "WATCHDOG=1");
}

}  // namespace pf::host
