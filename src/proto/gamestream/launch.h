// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <cstdint>

#include "base/status.h"
#include "proto/gamestream/query.h"

// The parameters of /launch and /resume (gamestream-protocol.md 2.6).
namespace pf::proto::gamestream {

struct LaunchRequest {
  bool resume = false;
  uint32_t app_id = 0;  // 0 if absent (resume)
  uint16_t width = 0, height = 0, fps = 0;
  std::array<uint8_t, 16> rikey{};  // AES-128 key of every session cipher
  int32_t rikeyid = 0;              // signed; first 4 IV bytes, big-endian
  bool local_audio = false;
  uint16_t audio_channels = 2;
  uint16_t audio_channel_mask = 0x3;
  bool sops = false;
  bool hdr = false;
  uint32_t gamepad_mask = 0;
  bool gamepads_persist = false;
  int corever = 0;  // >= 1: the client speaks encrypted RTSP

  bool encrypted_rtsp() const { return corever >= 1; }
  // The client's 16-byte IV: rikeyid big-endian, then 12 zero bytes.
  std::array<uint8_t, 16> iv() const;
};

// kInvalidArgument with a sentence naming the bad or missing parameter.
Result<LaunchRequest> parse_launch(const QueryParams& q, bool resume);

}  // namespace pf::proto::gamestream
