// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <thread>

#include "base/status.h"
#include "client/audio/mic_encoder.h"

// `punktfunk-client --mic-test`: a synthetic microphone, a 440 Hz sine of
// amplitude 0.25 encoded as the protocol's mic uplink (Opus 48 kHz mono,
// 10 ms, 48 kbit/s, VOIP with in-band FEC), one packet every 10 ms on its own
// thread, so the whole path to the host's punktfunk-mic can be checked
// without a microphone. Thread model: start/destroy from one thread.
namespace pf::client {

class MicTone {
 public:
  static Result<std::unique_ptr<MicTone>> start(MicEncoder::Send send, double hz = 440);
  ~MicTone();
  uint64_t packets() const { return packets_.load(); }

 private:
  MicTone() = default;
  void run();
  std::unique_ptr<MicEncoder> enc_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> packets_{0};
  double hz_ = 440;
};

}  // namespace pf::client
