// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "base/status.h"

struct OpusMSEncoder;

namespace pf::host {

// The host's audio encoder (GameStream and punktfunk/1): 48 kHz Opus, CBR, restricted low delay,
// multistream with the normal layouts of gamestream-protocol.md 8.3 (stereo
// 1 stream 1 coupled; 5.1 4/2; 7.1 5/3), channel mapping 0..C-1. Fed from a
// synthetic 440 Hz tone when there is no desktop audio.
class OpusAudioEncoder {
 public:
  // bitrate_bps 0 = GameStream's rates (96 kbit/s stereo, 256 5.1, 450 7.1).
  static Result<std::unique_ptr<OpusAudioEncoder>> create(int channels,
                                                          int packet_ms,
                                                          int bitrate_bps = 0);
  ~OpusAudioEncoder();
  int samples_per_packet() const { return 48 * packet_ms_; }
  // Encodes one packet of interleaved float PCM (samples_per_packet x channels).
  Result<std::vector<uint8_t>> encode(const std::vector<float>& pcm);
  // The next packet of the test tone (440 Hz on every channel, -12 dBFS).
  std::vector<float> tone();

 private:
  OpusAudioEncoder() = default;
  OpusMSEncoder* enc_ = nullptr;
  int channels_ = 2, packet_ms_ = 5;
  uint64_t sample_ = 0;
};

}  // namespace pf::host
