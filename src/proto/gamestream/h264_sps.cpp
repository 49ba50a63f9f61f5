// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/gamestream/h264_sps.h"

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

// The first SPS NAL unit's payload with emulation-prevention bytes removed.
std::optional<std::vector<uint8_t>> sps_rbsp(std::span<const uint8_t> s) {
  for (size_t i = 0; i + 3 < s.size(); ++i) {
    if (s[i] != 0 || s[i + 1] != 0 || s[i + 2] != 1 || (s[i + 3] & 0x1F) != 7)
      continue;
    std::vector<uint8_t> out;
    int zeros = 0;
    for (size_t j = i + 4; j < s.size(); ++j) {
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
  auto rbsp = sps_rbsp(annex_b);
  if (!rbsp)
    return std::nullopt;
  Bits b(std::move(*rbsp));
  const uint32_t profile = b.u(8);
  b.u(16);  // constraint flags, level
  b.ue();   // sps id
  uint32_t chroma = 1;
  if (profile == 100 || profile == 110 || profile == 122 || profile == 244 || profile == 44 ||
      profile == 83 || profile == 86 || profile == 118 || profile == 128 || profile == 138 ||
      profile == 139 || profile == 134 || profile == 135) {
    chroma = b.ue();
    if (chroma == 3)
      b.u(1);
    b.ue();
    b.ue();
    b.u(1);
    if (b.u(1))
      for (int i = 0; i < (chroma != 3 ? 8 : 12) && !b.bad; ++i)
        if (b.u(1))
          skip_scaling_list(b, i < 6 ? 16 : 64);
  }
  b.ue();  // log2_max_frame_num - 4
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
  if (b.bad || chroma > 3 || w_mbs > 1024 || h_units > 1024)
    return std::nullopt;
  const int64_t unit_x = (chroma == 1 || chroma == 2) ? 2 : 1;
  const int64_t unit_y = (chroma == 1 ? 2 : 1) * (2 - int64_t{frame_mbs_only});
  const int64_t width = int64_t{w_mbs} * 16 - unit_x * (int64_t{left} + right);
  const int64_t height =
      (2 - int64_t{frame_mbs_only}) * h_units * 16 - unit_y * (int64_t{top} + bottom);
  if (width <= 0 || height <= 0)
    return std::nullopt;  // cropped away, or crop values beyond the picture
  return PictureSize{static_cast<int>(width), static_cast<int>(height)};
}

}  // namespace pf::proto::gamestream
