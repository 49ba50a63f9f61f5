// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

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
// are then refused). Several launches may be pending at once (one per
// client), each with its own handshake: an encrypted request belongs to the
// launch whose key opens it, a plain one to the newest plain launch from the
// same address. Connections are refused while no launch is pending.
// One thread accepts and reads every connection at once (poll): a request is
// answered as soon as it is whole, so an idle or slow connection holds up no
// other; each has 5 s to send its request, one address at most 8 unanswered
// connections, all of them at most 64 (past it the oldest is closed).
class RtspServer {
 public:
  using LaunchProvider = std::function<std::vector<LaunchSession>()>;
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
  struct Handshake {
    std::unique_ptr<proto::gamestream::RtspSession> session;
    uint32_t response_sequence = 0;
  };
  // A connection whose request is still arriving.
  struct Pending {
    int fd = -1;
    std::string peer, buf;
    std::chrono::steady_clock::time_point deadline;
    bool done = false;  // served or dropped: leaves pending_
  };
  void loop();
  void accept_one();
  // Reads what arrived; true when the connection is done (served or dropped).
  bool read_more(Pending& p);
  void serve(int fd, const std::string& peer, const std::string& raw);
  // The launch a request belongs to, and the request in plain text.
  std::optional<std::pair<LaunchSession, std::string>> match(
      int fd,
      const std::string& raw,
      const std::vector<LaunchSession>& launches,
      const std::string& peer);

  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  uint16_t port_ = 0;
  proto::gamestream::RtspSessionConfig config_;
  LaunchProvider launch_;
  PlayHandler on_play_;
  std::thread thread_;
  std::vector<Pending> pending_;              // the accept thread's
  std::map<uint64_t, Handshake> handshakes_;  // by launch id; the accept thread's
};

}  // namespace pf::host::gamestream
