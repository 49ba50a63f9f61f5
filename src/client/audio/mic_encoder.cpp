// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/audio/mic_encoder.h"

#include <opus/opus.h>

#include <string>

namespace pf::client {

Result<std::unique_ptr<MicEncoder>> MicEncoder::create(Send send) {
  std::unique_ptr<MicEncoder> m(new MicEncoder());
  int err = 0;
  m->enc_ = opus_encoder_create(48000, 1, OPUS_APPLICATION_VOIP, &err);
  if (!m->enc_ || err != OPUS_OK)
    return make_error(StatusCode::kInternal, std::string("Opus encoder: ") + opus_strerror(err));
  opus_encoder_ctl(m->enc_, OPUS_SET_BITRATE(48000));
  opus_encoder_ctl(m->enc_, OPUS_SET_INBAND_FEC(1));
  opus_encoder_ctl(m->enc_, OPUS_SET_PACKET_LOSS_PERC(5));
  m->send_ = std::move(send);
  return m;
}

MicEncoder::~MicEncoder() {
  if (enc_)
    opus_encoder_destroy(enc_);
}

bool MicEncoder::encode(std::span<const float, kFrame> pcm, int64_t first_sample_ns) {
  uint8_t pkt[400];
  const int len = opus_encode_float(enc_, pcm.data(), kFrame, pkt, sizeof pkt);
  const uint32_t seq = seq_++;
  if (len <= 0 || !send_(seq, static_cast<uint64_t>(first_sample_ns),
                         std::span<const uint8_t>(pkt, static_cast<size_t>(len))))
    return false;
  ++packets_;
  return true;
}

}  // namespace pf::client
