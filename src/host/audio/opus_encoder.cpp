// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/audio/opus_encoder.h"

#include <opus/opus_multistream.h>

#include <cmath>

#include <fmt/format.h>

namespace pf::host {

Result<std::unique_ptr<OpusAudioEncoder>> OpusAudioEncoder::create(int channels,
                                                                   int packet_ms,
                                                                   int bitrate_bps) {
  int streams, coupled, bitrate;
  switch (channels) {
    case 2:
      streams = 1, coupled = 1, bitrate = 96'000;
      break;
    case 6:
      streams = 4, coupled = 2, bitrate = 256'000;
      break;
    case 8:
      streams = 5, coupled = 3, bitrate = 450'000;
      break;
    default:
      return make_error(StatusCode::kInvalidArgument,
                        fmt::format("{} audio channels (2, 6 or 8)", channels));
  }
  if (bitrate_bps > 0)
    bitrate = bitrate_bps;
  if (packet_ms != 5 && packet_ms != 10 && packet_ms != 20)
    return make_error(StatusCode::kInvalidArgument, "Opus packets of 5, 10 or 20 ms");
  unsigned char mapping[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  int err = 0;
  std::unique_ptr<OpusAudioEncoder> e(new OpusAudioEncoder());
  e->enc_ = opus_multistream_encoder_create(48000, channels, streams, coupled, mapping,
                                            OPUS_APPLICATION_RESTRICTED_LOWDELAY, &err);
  if (!e->enc_ || err != OPUS_OK)
    return make_error(StatusCode::kInternal, fmt::format("Opus encoder: {}", opus_strerror(err)));
  opus_multistream_encoder_ctl(e->enc_, OPUS_SET_BITRATE(bitrate));
  opus_multistream_encoder_ctl(e->enc_, OPUS_SET_VBR(0));
  e->channels_ = channels;
  e->packet_ms_ = packet_ms;
  return e;
}

OpusAudioEncoder::~OpusAudioEncoder() {
  if (enc_)
    opus_multistream_encoder_destroy(enc_);
}

Result<std::vector<uint8_t>> OpusAudioEncoder::encode(const std::vector<float>& pcm) {
  std::vector<uint8_t> out(4000);
  const int n = opus_multistream_encode_float(enc_, pcm.data(), samples_per_packet(), out.data(),
                                              static_cast<opus_int32>(out.size()));
  if (n < 0)
    return make_error(StatusCode::kInternal, fmt::format("Opus: {}", opus_strerror(n)));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::vector<float> OpusAudioEncoder::tone() {
  std::vector<float> pcm(static_cast<size_t>(samples_per_packet() * channels_));
  for (int i = 0; i < samples_per_packet(); ++i, ++sample_) {
    const float v = 0.25f * std::sin(2.0 * M_PI * 440.0 * static_cast<double>(sample_) / 48000.0);
    for (int c = 0; c < channels_; ++c)
      pcm[static_cast<size_t>(i * channels_ + c)] = v;
  }
  return pcm;
}

}  // namespace pf::host
