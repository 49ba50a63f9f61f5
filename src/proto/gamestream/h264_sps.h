// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <span>

// The picture size an H.264 access unit's sequence parameter set declares
// (cropping applied), and the fields needed to read a slice header's frame_num.
// The Moonlight-style client reads the size to check that the host streams the
// mode it asked for; the host's x264 encoder reads frame_num (a reference
// invalidation over a frame with frame_num 0 misleads libavcodec). A short or
// odd SPS gives nullopt, never a read past the buffer.
namespace pf::proto::gamestream {

struct PictureSize {
  int width = 0, height = 0;
};

std::optional<PictureSize> h264_picture_size(std::span<const uint8_t> annex_b);

// What else of the first SPS a reader of slice headers needs.
struct H264SpsInfo {
  PictureSize size;
  int log2_max_frame_num = 4;  // slice headers' frame_num has this many bits
  int poc_type = 0;            // pic_order_cnt_type (x264 without B-frames: 2)
  bool separate_colour_plane = false;
};
std::optional<H264SpsInfo> h264_sps_info(std::span<const uint8_t> annex_b);

// The frame_num of the access unit's first slice (NAL unit type 1 or 5), read with the SPS's
// field widths; nullopt when there is no slice or its header is short.
std::optional<uint32_t> h264_frame_num(std::span<const uint8_t> annex_b, const H264SpsInfo& sps);

}  // namespace pf::proto::gamestream
