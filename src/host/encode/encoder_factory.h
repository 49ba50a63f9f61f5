// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "base/status.h"
#include "host/encode/encoder_settings.h"
#include "host/encode/video_encoder.h"

// Which encoder makes which codec, and what this host can offer clients.
// H.264 is libx264 driven directly (reference invalidation); HEVC Main is
// libx265 through libavcodec, offered only when the policy says so (the host:
// `software-codecs = true`, core/video_offer.h): x265 is not real time at 1080p60 on a small CPU,
// so offering it everywhere would give a capable client a worse stream than H.264. x265 cannot
// invalidate references (its API has no such call), so an HEVC stream answers a loss with an IDR
// and RFI is not offered for it. AV1 is libaom through libavcodec (real-time mode), under the same
// switch and for the same reason; it answers a loss with a keyframe too.
// Thread model: free functions; encoders are owned by one thread.
namespace pf::host {

struct EncoderPolicy {
  bool software_hevc = false;  // offer HEVC Main by libx265
  bool software_av1 = false;   // offer AV1 Main 8-bit by libaom
};

struct EncoderCaps {
  bool h264 = false, hevc = false, av1 = false;
  std::string h264_encoder, hevc_encoder, av1_encoder;  // what makes it, for logs and `doctor`
  std::string h264_why, hevc_why, av1_why;              // why not, when not
  bool hevc_10bit = false, av1_10bit = false;  // 10-bit streams too (punktfunk/1 capability 0x2)
  // 8-bit 4:4:4 streams too (H.264 High 4:4:4, HEVC RExt, AV1 High)
  bool h264_444 = false, hevc_444 = false, av1_444 = false;

  // serverinfo's ServerCodecModeSupport: 0x1 H.264, 0x100 HEVC Main, 0x10000 AV1 Main 8-bit,
  // 0x40000 H.264 4:4:4, 0x80000 HEVC 4:4:4, 0x200000 AV1 4:4:4 (8-bit). Never the 10-bit
  // modes: a GameStream client asks for 10 bits only to get HDR.
  uint32_t gamestream_codec_modes() const;
};

// The host's video encoders, settled at start: a GPU backend if a probe found
// one (it makes every codec), and whether HEVC can be offered (on the GPU, or
// by x265 with software-codecs).
struct VideoEncoders {
  std::optional<EncoderBackend> hardware;
  bool hevc = false;
  bool av1 = false;
  bool hevc_10bit = false, av1_10bit = false;                // streams of the codec can be 10-bit
  bool h264_444 = false, hevc_444 = false, av1_444 = false;  // ... or 4:4:4
};

// Tries a one-frame encode (and its access unit's shape: parameter sets
// first) per codec the policy allows. Takes ~0.1 s.
EncoderCaps probe_encoders(const EncoderPolicy& policy);

// The encoder for `config.codec`: on `hardware` (NVENC, VAAPI: every codec
// through libavcodec) when given, else in software; kUnimplemented for a
// codec without a software encoder.
Result<std::unique_ptr<VideoEncoder>> create_video_encoder(
    const EncoderConfig& config,
    std::optional<EncoderBackend> hardware = std::nullopt);

// Whether an encoder of this codec answers a loss with reference
// invalidation (VideoEncoder::invalidate_from) rather than an IDR.
bool codec_has_ref_invalidation(VideoCodec codec);

}  // namespace pf::host
