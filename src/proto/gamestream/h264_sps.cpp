// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/gamestream/h264_sps.h"

#include <cstdint>
#include <vector>

namespace pf::proto::gamestream {

namespace {

// Bits of an RBSP, most significant first; reading past the end sets bad.
class Bits {
 public:
  explicit Bits(std::vector<uint8_t> rbsp) : b_(std::move(rbsp)) {}
  uint32_t u(int n) {
    uint32_t v = 0;
    for (int i = 0; i < n; ++i) {
      if (pos_ >= b_.size() * 8) {
        bad = true;
        return 0;
      }
      v = (v << 1) | ((b_[pos_ / 8] >> (7 - pos_ % 8)) & 1);
      ++pos_;
    }
    return v;
  }
  uint32_t ue() {
    int zeros = 0;
    while (!bad && u(1) == 0)
      if (++zeros > 31) {
        bad = true;
        return 0;
      }
    return (zeros ? (1u << zeros) - 1 + u(zeros) : 0);
  }
  int32_t se() {
    const uint32_t k = ue();
    return (k & 1) ? static_cast<int32_t>((k + 1) / 2) : -static_cast<int32_t>(k / 2);
  }
  bool bad = false;

 private:
  std::vector<uint8_t> b_;
  size_t pos_ = 0;
};

// The payload of the first NAL unit whose type `want` accepts, emulation-prevention bytes
// removed; at most `max_bytes` of it (a slice header needs only its start).
template <typename Want>
std::optional<std::vector<uint8_t>> nal_rbsp(std::span<const uint8_t> s,
                                             Want want,
                                             size_t max_bytes = SIZE_MAX) {
  for (size_t i = 0; i + 3 < s.size(); ++i) {
    if (s[i] != 0 || s[i + 1] != 0 || s[i + 2] != 1 || !want(s[i + 3] & 0x1F))
      continue;
    std::vector<uint8_t> out;
    int zeros = 0;
    for (size_t j = i + 4; j < s.size() && out.size() < max_bytes; ++j) {
      if (zeros >= 2 && s[j] == 3) {
        zeros = 0;
        continue;
      }
      if (zeros >= 2 && s[j] <= 1)
        break;  // the next start code
      zeros = s[j] == 0 ? zeros + 1 : 0;
      out.push_back(s[j]);
    }
    return out;
  }
  return std::nullopt;
}

void skip_scaling_list(Bits& b, int size) {
  int last = 8, next = 8;
  for (int j = 0; j < size && !b.bad; ++j) {
    if (next != 0) {
      const int32_t delta = b.se();  // delta_scale: -128..127 (H.264 7.4.2.1.1)
      if (delta < -128 || delta > 127) {
        b.bad = true;  // (and last + delta would overflow for a hostile one)
        return;
      }
      next = (last + delta + 256) % 256;
    }
    last = next == 0 ? last : next;
  }
}

}  // namespace

std::optional<PictureSize> h264_picture_size(std::span<const uint8_t> annex_b) {
  auto info = h264_sps_info(annex_b);
  if (!info)
    return std::nullopt;
  return info->size;
}

std::optional<H264SpsInfo> h264_sps_info(std::span<const uint8_t> annex_b) {
  auto rbsp = nal_rbsp(annex_b, [](int type) { return type == 7; });
  if (!rbsp)
    return std::nullopt;
  Bits b(std::move(*rbsp));
  H264SpsInfo info;
  const uint32_t profile = b.u(8);
  b.u(16);  // constraint flags, level
  b.ue();   // sps id
  uint32_t chroma = 1;
  if (profile == 100 || profile == 110 || profile == 122 || profile == 244 || profile == 44 ||
      profile == 83 || profile == 86 || profile == 118 || profile == 128 || profile == 138 ||
      profile == 139 || profile == 134 || profile == 135) {
    chroma = b.ue();
    if (chroma == 3)
      info.separate_colour_plane = b.u(1) != 0;
    b.ue();
    b.ue();
    b.u(1);
    if (b.u(1))
      for (int i = 0; i < (chroma != 3 ? 8 : 12) && !b.bad; ++i)
        if (b.u(1))
          skip_scaling_list(b, i < 6 ? 16 : 64);
  }
  const uint32_t log2_max_frame_num_minus4 = b.ue();  // 0..12
  const uint32_t poc_type = b.ue();
  if (poc_type == 0) {
    b.ue();
  } else if (poc_type == 1) {
    b.u(1);
    b.se();
    b.se();
    const uint32_t n = b.ue();
    for (uint32_t i = 0; i < n && i < 256 && !b.bad; ++i)
      b.se();
  }
  b.ue();  // max_num_ref_frames
  b.u(1);
  const uint32_t w_mbs = b.ue() + 1, h_units = b.ue() + 1;
  const uint32_t frame_mbs_only = b.u(1);
  if (!frame_mbs_only)
    b.u(1);
  b.u(1);
  uint32_t left = 0, right = 0, top = 0, bottom = 0;
  if (b.u(1)) {
    left = b.ue();
    right = b.ue();
    top = b.ue();
    bottom = b.ue();
  }
  if (b.bad || chroma > 3 || w_mbs > 1024 || h_units > 1024 || log2_max_frame_num_minus4 > 12 ||
      poc_type > 2)
    return std::nullopt;
  const int64_t unit_x = (chroma == 1 || chroma == 2) ? 2 : 1;
  const int64_t unit_y = (chroma == 1 ? 2 : 1) * (2 - int64_t{frame_mbs_only});
  const int64_t width = int64_t{w_mbs} * 16 - unit_x * (int64_t{left} + right);
  const int64_t height =
      (2 - int64_t{frame_mbs_only}) * h_units * 16 - unit_y * (int64_t{top} + bottom);
  if (width <= 0 || height <= 0)
    return std::nullopt;  // cropped away, or crop values beyond the picture
  info.size = PictureSize{static_cast<int>(width), static_cast<int>(height)};
  info.log2_max_frame_num = static_cast<int>(log2_max_frame_num_minus4) + 4;
  info.poc_type = static_cast<int>(poc_type);
  return info;
}

std::optional<uint32_t> h264_frame_num(std::span<const uint8_t> annex_b, const H264SpsInfo& sps) {
  auto rbsp = nal_rbsp(
      annex_b, [](int type) { return type == 1 || type == 5; }, 32);
  if (!rbsp)
    return std::nullopt;
  Bits b(std::move(*rbsp));
  b.ue();  // first_mb_in_slice
  b.ue();  // slice_type
  b.ue();  // pic_parameter_set_id
  if (sps.separate_colour_plane)
    b.u(2);  // colour_plane_id
  const uint32_t frame_num = b.u(sps.log2_max_frame_num);
  if (b.bad)
    return std::nullopt;
  return frame_num;
}

}  // namespace pf::proto::gamestream
