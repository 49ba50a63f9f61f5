// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

// A small portrait box-art PNG (for apps without an image): a vertical
// gradient whose colour derives from the app id. Uncompressed (stored deflate
// blocks): no image library needed, any PNG decoder reads it.
namespace pf::host::gamestream {

std::vector<uint8_t> make_boxart_png(uint32_t app_id, int width = 130, int height = 180);

}  // namespace pf::host::gamestream
