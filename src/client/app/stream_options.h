// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <string_view>

#include "base/status.h"

// Values of `punktfunk-client stream` options that need more than a number.
// Thread model: free functions.
namespace pf::client {

// "20000" (kbit/s), "500k", "20M", "1.5G" (bit/s with a suffix) -> kbit/s,
// 100 kbit/s to 100 Gbit/s.
Result<uint32_t> parse_bitrate_kbps(std::string_view text);

// "auto" (H.264 or HEVC, the host picks), "h264", "hevc" -> the Hello's codec
// bit set (punktfunk/1 kCodec*).
Result<uint8_t> parse_codecs(std::string_view text);

}  // namespace pf::client
