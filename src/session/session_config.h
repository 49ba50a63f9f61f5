// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>

#include "base/status.h"

namespace pf {

// What a client asks of a punktfunk/1 session, before negotiation. The C ABI's
// PunktfunkConfig is a flat mirror of this. Thread model: a value type.
struct SessionConfig {
  uint16_t width = 1920;
  uint16_t height = 1080;
  uint32_t fps_x100 = 6000;
  uint32_t max_bitrate_kbps = 50'000;
  uint16_t shard_bytes = 1408;
  uint8_t fec_percent = 20;
  uint8_t fec_fields = 0x3;  // GF(2^8) | GF(2^16)
  uint8_t ciphers = 0x3;     // AES-128-GCM | ChaCha20-Poly1305
  uint8_t codecs = 0x3;      // H.264 | HEVC
  uint8_t audio_channels = 2;
  uint32_t capabilities = 0;  // punktfunk/1 Hello capability bits to ask for (0x1 ... 0x8)

  friend bool operator==(const SessionConfig&, const SessionConfig&) = default;
};

// Limits of the protocol (punktfunk-protocol.md sections 3-4).
inline constexpr uint16_t kMaxDimension = 16384;
inline constexpr uint16_t kMinShardBytes = 64;
inline constexpr uint16_t kMaxShardBytes = 8960;  // a jumbo-frame payload
inline constexpr uint32_t kMaxFpsX100 = 1000 * 100;

// OK, or kInvalidArgument with a sentence naming the first bad field.
Status validate(const SessionConfig& config);

}  // namespace pf
