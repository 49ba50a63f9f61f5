// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <optional>

#include "client/decode/decoder.h"
#include "proto/native/chroma_checker.h"

// A decoded picture's fingerprint for `stream --headless --dump-hashes`:
// FNV-1a 64 over the visible Y, U and V samples (strides and padding left
// out), so two decodes of the same stream give the same hashes.
// Thread model: a free function.
namespace pf::client {

uint64_t picture_hash(const DecodedPicture& picture);

// The Y, U, V samples a quarter in from the top-left corner (what colour a
// session shows, for tests that paint each session's display its own colour;
// clear of the pointer, which a new X display puts at its centre).
struct ColourSample {
  int y = 0, u = 0, v = 0;
};
ColourSample colour_sample(const DecodedPicture& picture);

// The synthetic source's 1-pixel red/blue checker in a decoded picture, each
// pixel's colour as decoded: a 4:4:4 stream's own chroma, else the 4:2:0 planes.
std::optional<proto::native::ChromaCheckerReading> picture_chroma_checker(
    const DecodedPicture& picture);

}  // namespace pf::client
