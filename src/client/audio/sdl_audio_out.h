// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "base/status.h"

// Sound output for the reference client: SDL2's audio device in queue mode
// (48 kHz float stereo), fed with decoded PCM as it arrives. The queue is kept
// short: beyond 60 ms of backlog new audio is dropped (and counted), so
// latency cannot grow when the device's clock runs slower than the host's.
// Thread model: play() from one thread (the one decoding); stats from any.
namespace pf::client {

class SdlAudioOut {
 public:
  static Result<std::unique_ptr<SdlAudioOut>> open(int channels = 2);
  ~SdlAudioOut();
  void play(const float* interleaved, size_t frames);
  uint64_t frames_played() const { return queued_.load(); }
  uint64_t frames_dropped() const { return dropped_.load(); }

 private:
  SdlAudioOut() = default;
  uint32_t device_ = 0;
  int channels_ = 2;
  std::atomic<uint64_t> queued_{0}, dropped_{0};
};

}  // namespace pf::client
