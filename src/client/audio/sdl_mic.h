// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "client/audio/mic_encoder.h"

// The client's real microphone: SDL2 audio capture (PipeWire or PulseAudio
// through SDL; the default capture device unless one is named) at 48 kHz
// mono float, cut into 10 ms frames and sent as the mic uplink (MicEncoder).
// A packet's pts is the capture time of its first sample: the callback's
// time minus the audio that follows that sample in SDL's buffer.
// Thread model: open/destroy from one thread; SDL's audio thread encodes.
namespace pf::client {

class SdlMic {
 public:
  // `device`: an SDL capture device name, "" for the default.
  static Result<std::unique_ptr<SdlMic>> open(const std::string& device, MicEncoder::Send send);
  ~SdlMic();
  uint64_t packets() const { return packets_.load(); }
  const std::string& device_name() const { return name_; }

 private:
  SdlMic() = default;
  static void callback(void* self, uint8_t* stream, int len);
  void on_audio(const float* samples, size_t n);

  uint32_t dev_ = 0;
  std::string name_;
  std::unique_ptr<MicEncoder> enc_;
  std::vector<float> pending_;  // samples of the frame being filled
  std::atomic<uint64_t> packets_{0};
};

}  // namespace pf::client
