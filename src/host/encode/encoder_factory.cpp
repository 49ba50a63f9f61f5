// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/encode/encoder_factory.h"

#include <fmt/format.h>

#include "host/capture/synthetic_source.h"
#include "host/encode/libav_encoder.h"
#include "host/encode/x264_encoder.h"

namespace pf::host {
namespace {

// Whether the access unit starts with the codec's first parameter set: SPS
// (H.264 NAL type 7) or VPS (HEVC NAL type 32), after a 3- or 4-byte start code;
// for AV1 a sequence header OBU (type 1), after a temporal delimiter if any.
bool starts_with_parameter_set(const std::vector<uint8_t>& au, VideoCodec codec) {
  if (codec == VideoCodec::kAv1) {
    size_t i = 0;
    if (au.size() > 2 && ((au[0] >> 3) & 0xf) == 2)  // temporal delimiter: header, size 0
      i = 2;
    return au.size() > i && ((au[i] >> 3) & 0xf) == 1;
  }
  size_t i = 0;
  if (au.size() > 4 && au[0] == 0 && au[1] == 0 && au[2] == 1)
    i = 3;
  else if (au.size() > 5 && au[0] == 0 && au[1] == 0 && au[2] == 0 && au[3] == 1)
    i = 4;
  else
    return false;
  return codec == VideoCodec::kHevc ? ((au[i] >> 1) & 0x3f) == 32 : (au[i] & 0x1f) == 7;
}

// One keyframe of the synthetic pattern at 640x360: the encoder opens, takes
// a frame and hands back an IDR that begins with its parameter sets.
Result<std::string> try_codec(VideoCodec codec, int bit_depth = 8, bool chroma_444 = false) {
  EncoderConfig c;
  c.codec = codec;
  c.bit_depth = bit_depth;
  c.chroma_444 = chroma_444;
  c.width = 640;
  c.height = 360;
  c.fps = 60;
  c.bitrate_kbps = 2000;
  auto enc = create_video_encoder(c);
  if (!enc)
    return tl::unexpected(enc.error());
  SyntheticSource source(c.width, c.height);
  YuvFrame frame;
  frame.chroma = chroma_444 ? ChromaSampling::k444 : ChromaSampling::k420;
  source.render(1, 0, frame);
  EncodedFrame au;
  if (auto st = (*enc)->encode(frame, true, au); !st.is_ok())
    return tl::unexpected(st);
  if (!au.keyframe || !starts_with_parameter_set(au.data, codec))
    return make_error(StatusCode::kInternal, fmt::format("{}: the first frame is not an IDR with "
                                                         "its parameter sets",
                                                         (*enc)->name()));
  return (*enc)->name();
}

}  // namespace

uint32_t EncoderCaps::gamestream_codec_modes() const {
  return (h264 ? 0x1u : 0u) | (hevc ? 0x100u : 0u) | (av1 ? 0x10000u : 0u) |
         (h264 && h264_444 ? 0x40000u : 0u) | (hevc && hevc_444 ? 0x80000u : 0u) |
         (av1 && av1_444 ? 0x200000u : 0u);
}

Result<std::unique_ptr<VideoEncoder>> create_video_encoder(const EncoderConfig& config,
                                                           std::optional<EncoderBackend> hardware) {
  if (hardware) {
    auto e = LibavEncoder::create(config, *hardware);
    if (!e)
      return tl::unexpected(e.error());
    return std::unique_ptr<VideoEncoder>(std::move(*e));
  }
  switch (config.codec) {
    case VideoCodec::kH264: {
      auto e = X264Encoder::create(config);
      if (!e)
        return tl::unexpected(e.error());
      return std::unique_ptr<VideoEncoder>(std::move(*e));
    }
    case VideoCodec::kHevc: {
      auto e = LibavEncoder::create(config, EncoderBackend::kX265);
      if (!e)
        return tl::unexpected(e.error());
      return std::unique_ptr<VideoEncoder>(std::move(*e));
    }
    case VideoCodec::kAv1: {
      auto e = LibavEncoder::create(config, EncoderBackend::kAom);
      if (!e)
        return tl::unexpected(e.error());
      return std::unique_ptr<VideoEncoder>(std::move(*e));
    }
  }
  return make_error(StatusCode::kUnimplemented,
                    fmt::format("no encoder on this host makes {}", to_string(config.codec)));
}

bool codec_has_ref_invalidation(VideoCodec codec) {
  return codec == VideoCodec::kH264;
}

EncoderCaps probe_encoders(const EncoderPolicy& policy) {
  EncoderCaps caps;
  if (auto r = try_codec(VideoCodec::kH264)) {
    caps.h264 = true;
    caps.h264_encoder = *r;
    caps.h264_444 = try_codec(VideoCodec::kH264, 8, true).has_value();
  } else {
    caps.h264_why = r.error().message();
  }
  if (!policy.software_hevc) {
    caps.hevc_why = "software HEVC (x265) is off; set software-codecs = true to offer it";
  } else if (auto r = try_codec(VideoCodec::kHevc)) {
    caps.hevc = true;
    caps.hevc_encoder = *r;
    caps.hevc_10bit = try_codec(VideoCodec::kHevc, 10).has_value();
    caps.hevc_444 = try_codec(VideoCodec::kHevc, 8, true).has_value();
  } else {
    caps.hevc_why = r.error().message();
  }
  if (!policy.software_av1) {
    caps.av1_why = "software AV1 (libaom) is off; set software-codecs = true to offer it";
  } else if (auto r = try_codec(VideoCodec::kAv1)) {
    caps.av1 = true;
    caps.av1_encoder = *r;
    caps.av1_10bit = try_codec(VideoCodec::kAv1, 10).has_value();
    caps.av1_444 = try_codec(VideoCodec::kAv1, 8, true).has_value();
  } else {
    caps.av1_why = r.error().message();
  }
  return caps;
}

}  // namespace pf::host
