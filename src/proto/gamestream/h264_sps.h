// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <span>

// The picture size an H.264 access unit's sequence parameter set declares
// (cropping applied). The Moonlight-style client reads it to check that the
// host streams the mode it asked for; a short or odd SPS gives nullopt, never
// a read past the buffer.
namespace pf::proto::gamestream {

struct PictureSize {
  int width = 0, height = 0;
};

std::optional<PictureSize> h264_picture_size(std::span<const uint8_t> annex_b);

}  // namespace pf::proto::gamestream
