// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <optional>

// The frame-index barcode that test sources draw into the top rows of the
// luma plane (32 bars, MSB first, 16 = 0, 235 = 1), readable after lossy
// compression. The host's synthetic source writes it; clients and tools read
// it to check that decoded frames are consecutive and intact.
// Thread model: free functions.
namespace pf::proto::native {

inline constexpr int kBarcodeBits = 32;
inline constexpr int kBarcodeRows = 16;

// Draws `index` into rows [0, kBarcodeRows) of a luma plane (if it is large enough).
void write_frame_barcode(uint8_t* luma, int width, int height, int stride, uint32_t index);
// The index, or nullopt if the bars are unreadable (neither black nor white).
std::optional<uint32_t> read_frame_barcode(const uint8_t* luma, int width, int height, int stride);

}  // namespace pf::proto::native
