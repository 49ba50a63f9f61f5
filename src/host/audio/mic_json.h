// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <nlohmann/json.hpp>

#include "host/audio/mic_service.h"

namespace pf::host {

// The microphone uplink as the management API shows it (`mic` of GET
// /api/v1/status, docs/api/openapi.yaml): the service's counters, and while a
// PipeWire source is open, what it measured — the quantum it is pulled at,
// the depth it holds, capture -> leaving the source latency, and what it did
// about short pulls, backlogs and graph stalls.
nlohmann::json mic_json(const MicServiceStats& s);

}  // namespace pf::host
