// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "base/status.h"
#include "proto/native/datagrams.h"

struct OpusMSDecoder;

// The reference client's audio sink without a sound device (--headless):
// decodes the host's 0xC9 Opus packets (stereo, or multistream 5.1/7.1 with
// the host's channel layout), conceals gaps with Opus PLC, keeps the newest
// 10-20 s of the front-left channel, and reports packets, gaps and whether a 440 Hz
// tone dominates (the host's test tone).
// Thread model: on_audio() from one thread (the QUIC worker); report() from any.
namespace pf::client {

struct AudioReport {
  uint64_t packets = 0, concealed = 0, decode_errors = 0;
  double rms = 0;
  double tone_ratio = 0;  // power at 440 Hz over the largest of 1, 2 and 5 kHz
  // The strongest tone (100 Hz-2 kHz, 10-Hz steps) of the last 2 s kept, and
  // its power over the strongest bin 50 Hz or more away.
  double dominant_hz = 0, dominant_purity = 0;
};

class HeadlessAudio {
 public:
  // channels: 2, 6 or 8 (what the Hello asked for).
  static Result<std::unique_ptr<HeadlessAudio>> create(int channels = 2);
  int channels() const { return channels_; }
  ~HeadlessAudio();
  void on_audio(const proto::native::AudioDatagram& a);
  // Also hand decoded interleaved PCM (channels() per frame) here (the sound device).
  void set_pcm_sink(std::function<void(const float*, size_t frames)> sink) {
    pcm_sink_ = std::move(sink);
  }
  AudioReport report() const;

 private:
  HeadlessAudio() = default;
  OpusMSDecoder* dec_ = nullptr;
  int channels_ = 2;
  std::function<void(const float*, size_t)> pcm_sink_;
  mutable std::mutex mu_;
  bool started_ = false;
  uint32_t next_seq_ = 0;
  std::vector<float> left_;
  AudioReport r_;
};

}  // namespace pf::client
