// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace pf {

// Hex encoding (GameStream uses uppercase; decoding accepts either case).
std::string to_hex(std::span<const uint8_t> bytes, bool upper = true);
// kInvalidArgument on an odd length or a non-hex character.
Result<std::vector<uint8_t>> from_hex(std::string_view text);

}  // namespace pf
