// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "base/status.h"
#include "client/audio/playout.h"

// Sound output for the reference client: SDL2's audio device in queue mode
// (48 kHz float stereo), fed with decoded PCM as it arrives, through an
// adaptive jitter buffer (Playout): playback starts once the queue reaches a
// target that follows the network's jitter, pauses to refill after running
// dry, and drops what would let latency creep past the target.
// Thread model: play() from one thread (the one decoding); stats from any.
namespace pf::client {

class SdlAudioOut {
 public:
  static Result<std::unique_ptr<SdlAudioOut>> open(int channels = 2);
  ~SdlAudioOut();
  void play(const float* interleaved, size_t frames);
  uint64_t frames_played() const { return queued_.load(); }
  uint64_t frames_dropped() const { return dropped_.load(); }
  uint64_t underruns() const { return underruns_.load(); }
  double target_ms() const { return target_ms_.load(); }

 private:
  SdlAudioOut() = default;
  uint32_t device_ = 0;
  int channels_ = 2;
  std::atomic<uint64_t> queued_{0}, dropped_{0}, underruns_{0};
  std::atomic<double> target_ms_{0};
  Playout playout_;  // play()'s thread only
};

}  // namespace pf::client
