// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "base/status.h"

// HKDF-SHA256 (RFC 5869) over OpenSSL. Thread-safe.
namespace pf::crypto {

// HKDF-Expand: `length` bytes (at most 255 * 32) from a pseudorandom key of
// at least 32 bytes and `info`.
Result<std::vector<uint8_t>> hkdf_expand_sha256(std::span<const uint8_t> prk,
                                                std::span<const uint8_t> info,
                                                size_t length);
// HKDF-Extract then Expand (an empty salt means a zero salt, as in the RFC).
Result<std::vector<uint8_t>> hkdf_sha256(std::span<const uint8_t> ikm,
                                         std::span<const uint8_t> salt,
                                         std::span<const uint8_t> info,
                                         size_t length);

}  // namespace pf::crypto
