// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/app/control.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "base/log.h"

namespace pf::host {

namespace {

Result<sockaddr_un> unix_address(const std::filesystem::path& p) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  if (p.native().size() >= sizeof(a.sun_path))
    return make_error(StatusCode::kInvalidArgument,
                      fmt::format("socket path too long: {}", p.string()));
  std::memcpy(a.sun_path, p.c_str(), p.native().size() + 1);
  return a;
}

// Reads one line (up to 4 KiB) with a timeout.
std::string read_line(int fd, int timeout_ms) {
  std::string line;
  char c;
  while (line.size() < 4096) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0)
      break;
    const ssize_t n = ::read(fd, &c, 1);
    if (n <= 0 || c == '\n')
      break;
    line.push_back(c);
  }
  return line;
}

}  // namespace

Result<std::unique_ptr<ControlServer>> ControlServer::start(const std::filesystem::path& path,
                                                            Handler handler) {
  auto addr = unix_address(path);
  if (!addr)
    return tl::unexpected(addr.error());
  // A leftover socket from a host that died: remove it, but never steal a live one.
  if (control_request(path, "ping", 200))
    return make_error(
        StatusCode::kAlreadyExists,
        fmt::format("another punktfunk-host is running (control socket {})", path.string()));
  ::unlink(path.c_str());
  std::unique_ptr<ControlServer> s(new ControlServer());
  s->fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const mode_t old = ::umask(0077);
  const int r = ::bind(s->fd_, reinterpret_cast<sockaddr*>(&*addr), sizeof *addr);
  ::umask(old);
  if (r != 0 || ::listen(s->fd_, 8) != 0)
    return make_error(StatusCode::kUnavailable,
                      fmt::format("control socket {}: {}", path.string(), std::strerror(errno)));
  if (::pipe2(s->wake_, O_CLOEXEC) != 0)
    return make_error(StatusCode::kUnavailable, "pipe failed");
  s->path_ = path;
  s->handler_ = std::move(handler);
  s->thread_ = std::thread([p = s.get()] { p->loop(); });
  return s;
}

void ControlServer::loop() {
  for (;;) {
    pollfd p[2] = {{fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (::poll(p, 2, -1) < 0 && errno != EINTR)
      return;
    if (p[1].revents)
      return;
    if (!(p[0].revents & POLLIN))
      continue;
    const int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0)
      continue;
    const std::string line = read_line(c, 2000);
    std::string answer = line == "ping" ? "ok pong" : handler_(line);
    answer.push_back('\n');
    (void)!::write(c, answer.data(), answer.size());
    ::close(c);
  }
}

ControlServer::~ControlServer() {
  if (wake_[1] >= 0)
    (void)!::write(wake_[1], "x", 1);
  if (thread_.joinable())
    thread_.join();
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(path_.c_str());
  }
  for (int f : wake_)
    if (f >= 0)
      ::close(f);
}

Result<std::string> control_request(const std::filesystem::path& path,
                                    const std::string& line,
                                    int timeout_ms) {
  auto addr = unix_address(path);
  if (!addr)
    return tl::unexpected(addr.error());
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&*addr), sizeof *addr) != 0) {
    ::close(fd);
    return make_error(StatusCode::kUnavailable,
                      fmt::format("no running punktfunk-host answers on {}", path.string()));
  }
  const std::string out = line + "\n";
  (void)!::write(fd, out.data(), out.size());
  std::string answer = read_line(fd, timeout_ms);
  ::close(fd);
  if (answer.empty())
    return make_error(StatusCode::kTimeout, "the host did not answer");
  return answer;
}

}  // namespace pf::host
