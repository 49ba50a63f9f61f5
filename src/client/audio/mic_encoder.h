// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>

#include "base/status.h"

struct OpusEncoder;

// The protocol's mic uplink encoding (punktfunk/1 0xCB): Opus 48 kHz mono,
// 10 ms packets, 48 kbit/s, VOIP with in-band FEC; numbers the packets and
// hands each to `send` with the capture time of its first sample. Shared by
// the test tone and the real microphone. Thread model: one thread at a time.
namespace pf::client {

class MicEncoder {
 public:
  static constexpr int kFrame = 480;  // 10 ms at 48 kHz
  using Send = std::function<bool(uint32_t seq, uint64_t pts_ns, std::span<const uint8_t> opus)>;

  static Result<std::unique_ptr<MicEncoder>> create(Send send);
  ~MicEncoder();
  // One 10 ms frame of mono float samples; true if a packet went out.
  bool encode(std::span<const float, kFrame> pcm, int64_t first_sample_ns);
  uint64_t packets() const { return packets_; }

 private:
  MicEncoder() = default;
  OpusEncoder* enc_ = nullptr;
  Send send_;
  uint32_t seq_ = 0;
  uint64_t packets_ = 0;
};

}  // namespace pf::client
