// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <chrono>
#include <optional>
#include <string>

// The service manager's side of the host (systemd Type=notify, via
// sd_notify(3)): READY once every server is up, a watchdog ping while the main
// loop runs, STOPPING on shutdown. Without NOTIFY_SOCKET (not started by
// systemd) every call does nothing.
// Thread model: any thread.
namespace pf::host {

void notify_ready(const std::string& status);
void notify_stopping();
// The interval to ping at (half of WatchdogSec), if the unit asks for pings.
std::optional<std::chrono::microseconds> watchdog_ping_interval();
void notify_watchdog();

}  // namespace pf::host
