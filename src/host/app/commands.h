// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <string>

#include "host/config/paths.h"

// The small commands of punktfunk-host (everything but `run` and `spike`):
// each prints what a user needs and returns the exit status.
namespace pf::host {

int cmd_doctor();
// Hands a waiting GameStream pairing its PIN (through the running host).
int cmd_pin(const std::string& pin, const Paths& paths);
// Opens a punktfunk/1 pairing PIN on the running host.
int cmd_pair(const Paths& paths);
// Lists or forgets paired punktfunk/1 devices.
int cmd_devices(bool remove, const std::string& who, const Paths& paths);
// The management API's token, or a link that signs in (the running host's
// port if it answers, else `port`).
int cmd_token(const Paths& paths, bool url, uint16_t port);
// Lists or unpairs paired Moonlight clients.
int cmd_clients(bool unpair, const std::string& who, const Paths& paths);

}  // namespace pf::host
