// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>

#include "client/decode/decoder.h"

// A decoded picture's fingerprint for `stream --headless --dump-hashes`:
// FNV-1a 64 over the visible Y, U and V samples (strides and padding left
// out), so two decodes of the same stream give the same hashes.
// Thread model: a free function.
namespace pf::client {

uint64_t picture_hash(const DecodedPicture& picture);

}  // namespace pf::client
