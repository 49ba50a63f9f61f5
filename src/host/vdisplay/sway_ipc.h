// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "proto/sway/ipc.h"

namespace pf::host {

// A blocking client of sway's IPC socket ($SWAYSOCK): one request, one reply,
// each bounded by a timeout. Framing and reply parsing live in proto/sway.
// Thread model: one thread at a time.
class SwayIpc {
 public:
  // `socket` empty means $SWAYSOCK.
  static Result<std::unique_ptr<SwayIpc>> connect(
      const std::string& socket = {},
      std::chrono::milliseconds timeout = std::chrono::seconds(2));
  ~SwayIpc();
  SwayIpc(const SwayIpc&) = delete;
  SwayIpc& operator=(const SwayIpc&) = delete;

  const std::string& socket() const { return socket_; }
  // The raw reply payload of one request.
  Result<std::string> request(proto::sway::MessageType type, const std::string& payload = {});
  // RUN_COMMAND; ok, or sway's reason for refusing it.
  Status command(const std::string& command);
  Result<std::vector<proto::sway::Output>> outputs();
  Result<std::string> version();

 private:
  SwayIpc() = default;
  int fd_ = -1;
  std::string socket_;
  std::chrono::milliseconds timeout_{2000};
  proto::sway::Decoder decoder_;
};

}  // namespace pf::host
