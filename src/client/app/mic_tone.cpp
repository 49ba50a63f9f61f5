// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/app/mic_tone.h"

#include <opus/opus.h>
#include <pthread.h>

#include <chrono>
#include <cmath>
#include <string>

#include "base/clock.h"

namespace pf::client {

Result<std::unique_ptr<MicTone>> MicTone::start(Send send) {
  std::unique_ptr<MicTone> m(new MicTone());
  int err = 0;
  m->enc_ = opus_encoder_create(48000, 1, OPUS_APPLICATION_VOIP, &err);
  if (!m->enc_ || err != OPUS_OK)
    return make_error(StatusCode::kInternal, std::string("Opus encoder: ") + opus_strerror(err));
  opus_encoder_ctl(m->enc_, OPUS_SET_BITRATE(48000));
  opus_encoder_ctl(m->enc_, OPUS_SET_INBAND_FEC(1));
  opus_encoder_ctl(m->enc_, OPUS_SET_PACKET_LOSS_PERC(5));
  m->send_ = std::move(send);
  MicTone* self = m.get();
  m->thread_ = std::thread([self] {
    pthread_setname_np(pthread_self(), "pf-mic-tone");
    self->run();
  });
  return m;
}

MicTone::~MicTone() {
  stop_ = true;
  if (thread_.joinable())
    thread_.join();
  if (enc_)
    opus_encoder_destroy(enc_);
}

void MicTone::run() {
  uint64_t n = 0;
  auto next = std::chrono::steady_clock::now();
  for (uint32_t seq = 0; !stop_; ++seq) {
    float pcm[480];
    for (float& s : pcm)
      s = 0.25f * static_cast<float>(std::sin(2 * M_PI * 440.0 * static_cast<double>(n++) / 48000));
    uint8_t pkt[400];
    const int len = opus_encode_float(enc_, pcm, 480, pkt, sizeof pkt);
    // The packet's pts is when its first sample would have been captured: a
    // microphone delivers 10 ms of audio 10 ms after that sample.
    const int64_t first_sample_ns = SteadyClock::instance().now_ns() - 10'000'000;
    if (len > 0 && send_(seq, static_cast<uint64_t>(first_sample_ns),
                         std::span<const uint8_t>(pkt, static_cast<size_t>(len))))
      ++packets_;
    next += std::chrono::milliseconds(10);
    std::this_thread::sleep_until(next);
  }
}

}  // namespace pf::client
