// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "host/capture/frame.h"

namespace pf::host {

enum class VideoCodec { kH264, kHevc, kAv1 };

struct EncoderConfig {
  VideoCodec codec = VideoCodec::kH264;
  int width = 1280;
  int height = 720;
  int fps = 60;
  int bitrate_kbps = 10'000;
  int gop_frames = 0;       // 0 = infinite GOP (IDR only when asked), as streaming wants
  int bit_depth = 8;        // 8, or 10 (HEVC Main10, AV1 Main 10-bit)
  bool chroma_444 = false;  // full-resolution chroma (H.264 High 4:4:4, HEVC RExt, AV1 High)
  bool hdr = false;         // BT.2020 primaries and the PQ transfer (10-bit only)
  // With hdr: the frames are 10-bit from an HDR source, and this is their
  // metadata (written into the stream: HEVC SEI by x265).
  std::optional<HdrMetadata> hdr_metadata;
};

// One encoded access unit (Annex-B for H.264/HEVC).
struct EncodedFrame {
  std::vector<uint8_t> data;
  uint32_t frame_index = 0;
  int64_t capture_time_ns = 0;
  bool keyframe = false;
  // A decoder that never gets this frame recovers badly from reference invalidation: H.264
  // with pic_order_cnt_type 2 (x264 without B-frames) and frame_num 0 outside a keyframe —
  // libavcodec fills a frame_num gap across 0 without advancing its POC offset, so the pictures
  // after it seem to come before those it showed and ~2^log2_max_frame_num of them are dropped.
  // An invalidation whose lost frames include such a frame falls back to a keyframe.
  bool gap_hazard = false;
};

// A video encoder backend. Thread model: not thread-safe; owned by one encode thread.
class VideoEncoder {
 public:
  virtual ~VideoEncoder() = default;
  virtual std::string name() const = 0;
  // Encodes one frame; low-delay encoders produce exactly one access unit per
  // frame. `out` is reused (its capacity is kept).
  virtual Status encode(const YuvFrame& frame, bool force_keyframe, EncodedFrame& out) = 0;
  // Takes effect with the next frame.
  virtual void set_bitrate(int kbps) = 0;
  // Reference-frame invalidation: the receiver lost the frame encoded as
  // `frame_index` (EncodedFrame::frame_index) and everything after it; the
  // next frames reference only older ones. False when the encoder cannot
  // (the caller then forces a keyframe).
  virtual bool invalidate_from(uint32_t frame_index) {
    (void)frame_index;
    return false;
  }
};

}  // namespace pf::host
