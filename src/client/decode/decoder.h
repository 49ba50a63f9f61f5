// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "base/status.h"

// Video decoding for the reference client: libavcodec H.264 / HEVC in
// low-delay mode (no frame reordering, one frame in, one frame out, one
// thread), software only today (VAAPI decode is the next step).
// Thread model: not thread-safe; one per receiving session.
namespace pf::client {

// A decoded 4:2:0 picture; the planes stay valid until the next decode().
struct DecodedPicture {
  int width = 0, height = 0;
  const uint8_t* luma = nullptr;
  int luma_stride = 0;
  const uint8_t *u = nullptr, *v = nullptr;
  int u_stride = 0, v_stride = 0;
};

class VideoDecoder {
 public:
  // codec: 1 H.264, 2 HEVC (punktfunk/1 codec values).
  static Result<std::unique_ptr<VideoDecoder>> create(uint8_t codec);
  ~VideoDecoder();
  // Decodes one access unit; the picture, or kUnavailable if the decoder
  // produced none (it needs a keyframe first), kDataLoss for a corrupt unit.
  Result<DecodedPicture> decode(std::span<const uint8_t> access_unit);

 private:
  struct Impl;
  VideoDecoder() = default;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pf::client
