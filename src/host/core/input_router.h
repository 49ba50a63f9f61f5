// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <functional>

#include "proto/native/datagrams.h"

namespace pf::host {

// Where a client's input goes: its pads to the host's gamepads (owned by its
// session), everything else into its session's display. The host builds one
// (host.cpp); front-ends call it with the session's id.
using InputRouter = std::function<void(uint32_t session_id, const proto::native::InputDatagram&)>;

}  // namespace pf::host
