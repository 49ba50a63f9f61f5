// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "base/status.h"
#include "host/gamestream/nvhttp.h"
#include "proto/gamestream/rtsp_session.h"

namespace pf::host::gamestream {

// What PLAY hands to the streaming side: the negotiated stream and how the
// client's UDP traffic identifies itself.
struct StreamStart {
  LaunchSession launch;
  proto::gamestream::StreamConfig stream;
  std::string ping_payload;
  uint32_t connect_data = 0;
};

// GameStream RTSP on TCP (48010): one request per connection, answered and
// closed (gamestream-protocol.md 4.1). Plain `rtsp://` or, when the launch
// said so, `rtspenc://` (AES-GCM with the launch's rikey; plaintext requests
// are then refused). Connections are refused while no launch is pending.
// One accept thread; requests are small and handled inline.
class RtspServer {
 public:
  using LaunchProvider = std::function<std::optional<LaunchSession>()>;
  using PlayHandler = std::function<void(const StreamStart&)>;

  static Result<std::unique_ptr<RtspServer>> start(const std::string& address,
                                                   uint16_t port,
                                                   proto::gamestream::RtspSessionConfig config,
                                                   LaunchProvider launch,
                                                   PlayHandler on_play);
  ~RtspServer();
  uint16_t port() const { return port_; }

 private:
  RtspServer() = default;
  void loop();
  void serve(int fd);

  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  uint16_t port_ = 0;
  proto::gamestream::RtspSessionConfig config_;
  LaunchProvider launch_;
  PlayHandler on_play_;
  std::thread thread_;
  // The handshake in progress, tied to the launch it belongs to.
  std::unique_ptr<proto::gamestream::RtspSession> session_;
  std::chrono::steady_clock::time_point session_launch_{};
  uint32_t response_sequence_ = 0;
};

}  // namespace pf::host::gamestream
