// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

// Request bodies of the management REST API (docs/api/openapi.yaml), parsed
// sans-I/O so a fuzz target can drive them. Thread model: free functions.
namespace pf::proto::mgmt {

// POST /api/v1/pairing/gamestream-pin: {"pin": "1234"} -> the PIN, or
// kInvalidArgument with the sentence the API answers with (400).
Result<std::string> parse_gamestream_pin_request(std::string_view body);

}  // namespace pf::proto::mgmt
