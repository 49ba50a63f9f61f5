// SPDX-License-Identifier: MIT OR Apache-2.0
// Any bytes as an H.264 access unit: a size within the SPS's limits or none,
// never a read past the input.
#include <cstddef>
#include <cstdint>
#include <span>

#include "base/check.h"
#include "proto/gamestream/h264_sps.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (auto p = pf::proto::gamestream::h264_picture_size(std::span<const uint8_t>(data, size)))
    PF_CHECK(p->width > 0 && p->height > 0 && p->width <= 16384 && p->height <= 32768);
  return 0;
}
