// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>

#include "base/status.h"

// Desktop audio of one punktfunk/1 session (protocol section 6): PipeWire's
// "punktfunk-speakers" monitor (or a 440 Hz test tone when PipeWire is not
// running, or when asked), Opus 48 kHz in 5 ms CELT low-delay packets at
// 256 kbit/s stereo (multistream for 5.1/7.1), one 0xC9 datagram per packet
// with a sequence number and the capture time on the host clock.
// Thread model: start() from any thread; one thread per session encodes and sends.
namespace pf::host::native {

struct NativeAudioStats {
  uint64_t packets = 0, send_refused = 0;
  bool desktop = false;  // false: the test tone
};

class NativeAudioStreamer {
 public:
  using Send = std::function<bool(std::span<const uint8_t>)>;
  // desktop: capture PipeWire (else the test tone); the two flags as in
  // PwAudioCapture::Options.
  // sink: the session's PipeWire sink ("" = punktfunk-speakers).
  static Result<std::unique_ptr<NativeAudioStreamer>> start(uint32_t session_id,
                                                            int channels,
                                                            bool desktop,
                                                            Send send,
                                                            bool default_sink_monitor = false,
                                                            bool make_default = false,
                                                            std::string sink = {},
                                                            bool sink_exists = false);
  ~NativeAudioStreamer();
  NativeAudioStats stats() const;

 private:
  NativeAudioStreamer() = default;
  void run();

  uint32_t session_id_ = 0;
  int channels_ = 2;
  bool desktop_ = true;
  bool default_monitor_ = false, make_default_ = false;
  std::string sink_;
  bool sink_exists_ = false;  // the session holds it: capture only
  Send send_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  NativeAudioStats stats_;
};

}  // namespace pf::host::native
