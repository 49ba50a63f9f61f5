// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/app/mic_tone.h"

#include <pthread.h>

#include <chrono>
#include <cmath>

#include "base/clock.h"

namespace pf::client {

Result<std::unique_ptr<MicTone>> MicTone::start(MicEncoder::Send send, double hz) {
  std::unique_ptr<MicTone> m(new MicTone());
  m->hz_ = hz;
  auto enc = MicEncoder::create(std::move(send));
  if (!enc)
    return tl::unexpected(enc.error());
  m->enc_ = std::move(*enc);
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
}

void MicTone::run() {
  uint64_t n = 0;
  auto next = std::chrono::steady_clock::now();
  while (!stop_) {
    float pcm[MicEncoder::kFrame];
    for (float& s : pcm)
      s = 0.25f * static_cast<float>(std::sin(2 * M_PI * hz_ * static_cast<double>(n++) / 48000));
    // The packet's pts is when its first sample would have been captured: a
    // microphone delivers 10 ms of audio 10 ms after that sample.
    if (enc_->encode(pcm, SteadyClock::instance().now_ns() - 10'000'000))
      packets_ = enc_->packets();
    next += std::chrono::milliseconds(10);
    std::this_thread::sleep_until(next);
  }
}

}  // namespace pf::client
