// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/native/audio_streamer.h"

#include <pthread.h>

#include <chrono>
#include <vector>

#include "base/clock.h"
#include "base/log.h"
#include "host/audio/opus_encoder.h"
#include "host/audio/pw_capture.h"
#include "proto/native/datagrams.h"

namespace pf::host::native {

namespace pn = pf::proto::native;

Result<std::unique_ptr<NativeAudioStreamer>> NativeAudioStreamer::start(uint32_t session_id,
                                                                        int channels,
                                                                        bool desktop,
                                                                        Send send,
                                                                        bool default_sink_monitor,
                                                                        bool make_default,
                                                                        std::string sink,
                                                                        bool sink_exists) {
  if (channels != 2 && channels != 6 && channels != 8)
    channels = 2;
  std::unique_ptr<NativeAudioStreamer> s(new NativeAudioStreamer());
  s->session_id_ = session_id;
  s->channels_ = channels;
  s->desktop_ = desktop;
  s->default_monitor_ = default_sink_monitor;
  s->sink_ = std::move(sink);
  s->sink_exists_ = sink_exists;
  s->make_default_ = make_default;
  s->send_ = std::move(send);
  NativeAudioStreamer* self = s.get();
  s->thread_ = std::thread([self] {
    pthread_setname_np(pthread_self(), "pf-native-audio");
    self->run();
  });
  return s;
}

NativeAudioStreamer::~NativeAudioStreamer() {
  stop_ = true;
  if (thread_.joinable())
    thread_.join();
}

NativeAudioStats NativeAudioStreamer::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void NativeAudioStreamer::run() {
  constexpr int kPacketMs = 5;
  const int bitrate = channels_ == 2 ? 256'000 : channels_ == 6 ? 512'000 : 768'000;
  auto encoder = OpusAudioEncoder::create(channels_, kPacketMs, bitrate);
  if (!encoder) {
    log_warn("punktfunk/1 audio {:08x}: {}", session_id_, encoder.error().message());
    return;
  }
  std::unique_ptr<PwAudioCapture> capture;
  if (desktop_) {
    PwAudioCapture::Options co;
    co.channels = channels_;
    co.default_sink_monitor = default_monitor_;
    co.make_default = make_default_;
    if (!sink_.empty())
      co.sink_name = sink_;
    co.create_sink = !sink_exists_;
    if (auto c = PwAudioCapture::start(co))
      capture = std::move(*c);
    else
      log_info("punktfunk/1 audio {:08x}: {}; sending a 440 Hz test tone", session_id_,
               c.error().message());
  }
  {
    std::lock_guard lock(mu_);
    stats_.desktop = capture != nullptr;
  }
  log_info("punktfunk/1 audio {:08x}: {} channels, {} ms Opus at {} kbit/s from {}", session_id_,
           channels_, kPacketMs, bitrate / 1000,
           capture ? "the desktop (PipeWire)" : "a test tone");
  const size_t samples = static_cast<size_t>((*encoder)->samples_per_packet());
  std::vector<float> pcm(samples * static_cast<size_t>(channels_));
  std::vector<uint8_t> datagram;
  const auto interval = std::chrono::milliseconds(kPacketMs);
  auto next = std::chrono::steady_clock::now();
  for (uint32_t seq = 0; !stop_; ++seq) {
    if (capture) {
      // PipeWire's clock paces the stream; a stalled graph sends silence.
      if (!capture->read(pcm.data(), samples, std::chrono::milliseconds(100)))
        std::fill(pcm.begin(), pcm.end(), 0.0f);
    } else {
      std::this_thread::sleep_until(next);
      next += interval;
      pcm = (*encoder)->tone();
    }
    const int64_t captured_ns = SteadyClock::instance().now_ns();
    auto opus = (*encoder)->encode(pcm);
    if (!opus) {
      log_warn("punktfunk/1 audio {:08x}: {}", session_id_, opus.error().message());
      return;
    }
    pn::AudioDatagram a;
    a.seq = seq;
    a.pts_ns = static_cast<uint64_t>(captured_ns);
    a.opus = *opus;
    datagram.resize(pn::encoded_size(a));
    const bool sent = pn::encode_datagram(a, datagram).has_value() && send_ && send_(datagram);
    std::lock_guard lock(mu_);
    ++(sent ? stats_.packets : stats_.send_refused);
  }
}

}  // namespace pf::host::native
