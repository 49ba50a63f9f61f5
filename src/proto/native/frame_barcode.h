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

// Checks decoded frames' barcodes against their frame indices on the wire.
// The host numbers wire frames consecutively from 1 and its capture thread
// numbers captures from 1, skipping a stale capture when a newer one is ready
// (the encoder was busy). So barcode - frame index starts at 0 and only ever
// grows, by the captures skipped so far; a frame that breaks this shows the
// wrong picture. Thread model: one thread.
class FrameBarcodeCheck {
 public:
  void check(std::optional<uint32_t> barcode, uint32_t frame_index) {
    if (!barcode) {
      ++unreadable;
      return;
    }
    const int64_t skew = int64_t{*barcode} - int64_t{frame_index};
    if (skew < skew_) {
      ++wrong;
      return;
    }
    ++ok;
    skew_ = skew;
    host_skipped = static_cast<uint64_t>(skew);
  }

  uint64_t ok = 0, wrong = 0, unreadable = 0;
  uint64_t host_skipped = 0;  // captures the host skipped before the last good frame

 private:
  int64_t skew_ = 0;
};

}  // namespace pf::proto::native
