// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "proto/gamestream/rtsp.h"
#include "proto/gamestream/sdp.h"

// The host side of one GameStream RTSP handshake (gamestream-protocol.md 4.3):
// OPTIONS, DESCRIBE, SETUP audio/video/control, ANNOUNCE, PLAY. Sans-I/O:
// request in, response out. ANNOUNCE yields the StreamConfig; PLAY marks the
// session ready to stream. Thread model: one per launch, one thread.
namespace pf::proto::gamestream {

struct RtspSessionConfig {
  HostStreamCaps caps;
  uint16_t audio_port = 48000;
  uint16_t video_port = 47998;
  uint16_t control_port = 47999;
  // Identifies this session's UDP traffic (generated when empty / zero).
  std::string ping_payload;  // exactly 16 printable characters
  uint32_t connect_data = 0;
  std::string session_id = "punktfunk";
};

class RtspSession {
 public:
  explicit RtspSession(RtspSessionConfig config);

  RtspResponse handle(const RtspRequest& request);

  const std::optional<StreamConfig>& stream() const { return stream_; }
  bool playing() const { return playing_; }
  const std::string& ping_payload() const { return config_.ping_payload; }
  uint32_t connect_data() const { return config_.connect_data; }

 private:
  RtspResponse setup(const RtspRequest& r);
  RtspResponse announce(const RtspRequest& r);

  RtspSessionConfig config_;
  bool audio_ = false, video_ = false, control_ = false, playing_ = false;
  std::optional<StreamConfig> stream_;
};

}  // namespace pf::proto::gamestream
