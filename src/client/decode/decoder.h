// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/status.h"
#include "proto/native/control.h"

// Video decoding for the reference client: libavcodec H.264 / HEVC in
// low-delay mode (no frame reordering, one frame in, one frame out, one
// thread), in software or with VAAPI (the GPU decodes; the picture comes back
// to memory as NV12 and is handed out as 4:2:0 planes). `auto` takes VAAPI
// when a render node and driver answer, else software. VAAPI is untested on
// real hardware (the development machine has no GPU): the probe, the fallback
// and the NV12 conversion are tested.
// Thread model: not thread-safe; one per receiving session.
namespace pf::client {

// A decoded picture as 8-bit 4:2:0 (a 10-bit or 4:4:4 stream is converted
// for the window and the checks; what it was is kept; an HDR picture's luma is
// tone-mapped for an SDR display, tone_map.h); the planes stay valid until the
// next decode().
struct DecodedPicture {
  int width = 0, height = 0;
  const uint8_t* luma = nullptr;
  int luma_stride = 0;
  const uint8_t *u = nullptr, *v = nullptr;
  int u_stride = 0, v_stride = 0;
  int stream_bit_depth = 8;         // of the stream as decoded
  bool stream_full_chroma = false;  // 4:4:4
  // An 8-bit 4:4:4 stream's own chroma planes (width x height), before the
  // conversion above: for a window that shows every pixel's colour, and for
  // checks. Null for other streams.
  const uint8_t *full_u = nullptr, *full_v = nullptr;
  int full_u_stride = 0, full_v_stride = 0;
  // HDR: the stream says BT.2020 primaries and the PQ transfer, and the
  // mastering display / light levels its SEI carried (the newest seen; in
  // punktfunk/1 HdrMetadata's order and units).
  bool hdr_pq = false;
  std::optional<proto::native::HdrMetadata> hdr_metadata;
};

enum class DecoderBackend { kAuto, kSoftware, kVaapi };
// "auto", "software", "vaapi".
Result<DecoderBackend> parse_decoder_backend(std::string_view name);

struct DecoderProbe {
  bool available;
  std::string reason;
};
// Whether VAAPI decoding can work here (render node, driver), and why not.
DecoderProbe probe_vaapi_decode();

// NV12 (Y plane, interleaved UV) to separate U and V planes of w/2 x h/2.
void split_nv12_chroma(const uint8_t* uv,
                       int uv_stride,
                       int width,
                       int height,
                       uint8_t* u,
                       uint8_t* v);

class VideoDecoder {
 public:
  // codec: 1 H.264, 2 HEVC, 4 AV1 (punktfunk/1 codec values). kVaapi fails with the
  // probe's reason when VAAPI cannot work; kAuto then uses software.
  static Result<std::unique_ptr<VideoDecoder>> create(
      uint8_t codec,
      DecoderBackend backend = DecoderBackend::kSoftware);
  // "software" or "vaapi": what create() settled on.
  const char* backend_name() const;
  // Why `auto` settled on software ("" otherwise).
  const std::string& fallback_reason() const;
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
