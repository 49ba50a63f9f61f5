// SPDX-License-Identifier: MIT OR Apache-2.0
// Any bytes as an H.264 access unit: a size within the SPS's limits or none, SPS fields within
// the standard's ranges, a frame_num that fits its field, never a read past the input.
#include <cstddef>
#include <cstdint>
#include <span>

#include "base/check.h"
#include "proto/gamestream/h264_sps.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pf::proto::gamestream;
  const std::span<const uint8_t> au(data, size);
  if (auto p = h264_picture_size(au))
    PF_CHECK(p->width > 0 && p->height > 0 && p->width <= 16384 && p->height <= 32768);
  H264SpsInfo any;  // the slice header read with a field width the input chooses
  any.log2_max_frame_num = 4 + (size > 0 ? data[0] % 13 : 0);
  any.separate_colour_plane = size > 1 && (data[1] & 1);
  if (auto info = h264_sps_info(au)) {
    PF_CHECK(info->log2_max_frame_num >= 4 && info->log2_max_frame_num <= 16);
    PF_CHECK(info->poc_type >= 0 && info->poc_type <= 2);
    any = *info;
  }
  if (auto n = h264_frame_num(au, any))
    PF_CHECK(*n < (1u << any.log2_max_frame_num));
  return 0;
}
