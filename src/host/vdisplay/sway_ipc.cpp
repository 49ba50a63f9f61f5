// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/vdisplay/sway_ipc.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

namespace pf::host {

namespace sway = proto::sway;

Result<std::unique_ptr<SwayIpc>> SwayIpc::connect(const std::string& socket,
                                                  std::chrono::milliseconds timeout) {
  std::string path = socket;
  if (path.empty()) {
    const char* env = std::getenv("SWAYSOCK");
    if (!env || !*env)
      return make_error(StatusCode::kUnavailable, "SWAYSOCK is not set (no sway session here)");
    path = env;
  }
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path))
    return make_error(StatusCode::kInvalidArgument, "sway socket path too long: " + path);
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return make_error(StatusCode::kInternal, std::string("socket: ") + std::strerror(errno));
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) {
    const int err = errno;
    ::close(fd);
    return make_error(StatusCode::kUnavailable,
                      fmt::format("cannot reach sway at {}: {}", path, std::strerror(err)));
  }
  std::unique_ptr<SwayIpc> ipc(new SwayIpc());
  ipc->fd_ = fd;
  ipc->socket_ = path;
  ipc->timeout_ = timeout;
  return ipc;
}

SwayIpc::~SwayIpc() {
  if (fd_ >= 0)
    ::close(fd_);
}

Result<std::string> SwayIpc::request(sway::MessageType type, const std::string& payload) {
  using clock = std::chrono::steady_clock;
  const auto deadline = clock::now() + timeout_;
  const std::string msg = sway::encode_message(type, payload);
  for (size_t sent = 0; sent < msg.size();) {
    const ssize_t n = ::send(fd_, msg.data() + sent, msg.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return make_error(StatusCode::kUnavailable,
                        fmt::format("sway IPC: send: {}", std::strerror(errno)));
    sent += static_cast<size_t>(n);
  }
  for (;;) {
    auto m = decoder_.next();
    if (!m)
      return tl::unexpected(m.error());
    // Replies carry the request's type; events (bit 31) are not subscribed to.
    if (*m && (*m)->type == static_cast<uint32_t>(type))
      return std::move((*m)->payload);
    if (*m)
      continue;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
    if (left <= 0)
      return make_error(StatusCode::kTimeout, "sway did not answer in time");
    pollfd p{fd_, POLLIN, 0};
    const int rc = ::poll(&p, 1, static_cast<int>(left));
    if (rc < 0 && errno == EINTR)
      continue;
    if (rc <= 0)
      continue;  // the deadline check above ends it
    char buf[16384];
    const ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return make_error(StatusCode::kUnavailable, "sway closed its IPC socket");
    decoder_.feed(std::string_view(buf, static_cast<size_t>(n)));
  }
}

Status SwayIpc::command(const std::string& command) {
  auto reply = request(sway::MessageType::kRunCommand, command);
  if (!reply)
    return reply.error();
  return sway::parse_command_reply(*reply);
}

Result<std::vector<sway::Output>> SwayIpc::outputs() {
  auto reply = request(sway::MessageType::kGetOutputs);
  if (!reply)
    return tl::unexpected(reply.error());
  return sway::parse_outputs(*reply);
}

Result<std::string> SwayIpc::version() {
  auto reply = request(sway::MessageType::kGetVersion);
  if (!reply)
    return tl::unexpected(reply.error());
  return sway::parse_version(*reply);
}

}  // namespace pf::host
