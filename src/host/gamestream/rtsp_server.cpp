// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/gamestream/rtsp_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "base/log.h"

namespace pf::host::gamestream {

using proto::gamestream::RtspCipher;
using proto::gamestream::RtspResponse;

namespace {

void write_all(int fd, const void* data, size_t n) {
  const auto* p = static_cast<const uint8_t*>(data);
  while (n > 0) {
    const ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
    if (w <= 0)
      return;
    p += w;
    n -= static_cast<size_t>(w);
  }
}

}  // namespace

Result<std::unique_ptr<RtspServer>> RtspServer::start(const std::string& address,
                                                      uint16_t port,
                                                      proto::gamestream::RtspSessionConfig config,
                                                      LaunchProvider launch,
                                                      PlayHandler on_play) {
  std::unique_ptr<RtspServer> s(new RtspServer());
  s->listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(s->listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  if (inet_pton(AF_INET, address.c_str(), &sa.sin_addr) != 1)
    return make_error(StatusCode::kInvalidArgument,
                      fmt::format("'{}' is not an IPv4 address", address));
  if (::bind(s->listen_fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 ||
      ::listen(s->listen_fd_, 16) != 0)
    return make_error(StatusCode::kUnavailable, fmt::format("RTSP: cannot listen on {}:{}: {}",
                                                            address, port, std::strerror(errno)));
  socklen_t len = sizeof sa;
  ::getsockname(s->listen_fd_, reinterpret_cast<sockaddr*>(&sa), &len);
  s->port_ = ntohs(sa.sin_port);
  if (::pipe2(s->wake_, O_CLOEXEC) != 0)
    return make_error(StatusCode::kUnavailable, "pipe failed");
  s->config_ = std::move(config);
  s->launch_ = std::move(launch);
  s->on_play_ = std::move(on_play);
  s->thread_ = std::thread([p = s.get()] { p->loop(); });
  return s;
}

RtspServer::~RtspServer() {
  if (wake_[1] >= 0)
    (void)!::write(wake_[1], "x", 1);
  if (thread_.joinable())
    thread_.join();
  for (int fd : {listen_fd_, wake_[0], wake_[1]})
    if (fd >= 0)
      ::close(fd);
}

void RtspServer::loop() {
  for (;;) {
    pollfd p[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (::poll(p, 2, -1) < 0 && errno != EINTR)
      return;
    if (p[1].revents)
      return;
    if (!(p[0].revents & POLLIN))
      continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0)
      continue;
    serve(fd);
    ::shutdown(fd, SHUT_RDWR);
    ::close(fd);
  }
}

void RtspServer::serve(int fd) {
  const auto launch = launch_();
  if (!launch) {
    log_debug("RTSP: connection refused, no launch is pending");
    return;
  }
  // A new launch starts a new handshake.
  if (!session_ || session_launch_ != launch->at) {
    session_ = std::make_unique<proto::gamestream::RtspSession>(config_);
    session_launch_ = launch->at;
    response_sequence_ = 0;
  }
  const bool encrypted = launch->request.encrypted_rtsp();
  // Read one message (bounded size, 5 s for all of it).
  std::string buf;
  size_t want = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  bool eof = false;
  while (true) {
    if (encrypted && !buf.empty() && !(static_cast<uint8_t>(buf[0]) & 0x80)) {
      // Sunshine's answer too: plaintext after encryption was chosen is refused.
      const std::string refuse = serialize_rtsp_response(RtspResponse{400, {}, {}}, 0);
      write_all(fd, refuse.data(), refuse.size());
      log_warn("RTSP: plaintext request on an encrypted session refused");
      return;
    }
    if (encrypted) {
      auto n = proto::gamestream::rtsp_encrypted_size(
          std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(buf.data()), buf.size()));
      if (!n) {
        log_warn("{}", n.error().message());
        return;
      }
      want = *n;
    } else {
      auto n = proto::gamestream::rtsp_request_size(buf, eof);
      if (!n) {
        log_warn("{}", n.error().message());
        return;
      }
      want = *n;
    }
    if (want > 0 && buf.size() >= want)
      break;
    if (eof)
      return;
    const int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          deadline - std::chrono::steady_clock::now())
                                          .count());
    pollfd p{fd, POLLIN, 0};
    if (left <= 0 || ::poll(&p, 1, left) <= 0)
      return;
    char chunk[4096];
    const ssize_t r = ::recv(fd, chunk, sizeof chunk, 0);
    if (r < 0)
      return;
    if (r == 0)
      eof = true;
    buf.append(chunk, static_cast<size_t>(r));
  }
  buf.resize(want);

  std::unique_ptr<RtspCipher> cipher;
  std::string plain;
  if (encrypted) {
    cipher = std::make_unique<RtspCipher>(launch->request.rikey);
    auto opened = cipher->open(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(buf.data()), buf.size()), false);
    if (!opened) {
      log_warn("{}", opened.error().message());
      return;
    }
    plain = std::move(*opened);
  } else {
    plain = std::move(buf);
  }
  auto req = proto::gamestream::parse_rtsp_request(plain);
  RtspResponse resp;
  int cseq = 0;
  if (!req) {
    log_warn("{}", req.error().message());
    resp.status = 400;
  } else {
    cseq = req->cseq();
    resp = session_->handle(*req);
    log_debug("RTSP {} {} -> {}", req->method, req->target, resp.status);
    if (resp.status != 200)
      log_warn("RTSP {} {} refused: {}", req->method, req->target, resp.status);
  }
  const std::string text = serialize_rtsp_response(resp, cseq);
  if (cipher) {
    const auto sealed = cipher->seal(++response_sequence_, text, true);
    write_all(fd, sealed.data(), sealed.size());
  } else {
    write_all(fd, text.data(), text.size());
  }
  if (req && req->method == "PLAY" && resp.status == 200 && session_->stream()) {
    log_info("RTSP handshake done: {}x{}@{} {} at {} kbit/s, packet size {}, {} audio channels",
             session_->stream()->width, session_->stream()->height, session_->stream()->fps,
             session_->stream()->codec == proto::gamestream::StreamCodec::kH264   ? "H.264"
             : session_->stream()->codec == proto::gamestream::StreamCodec::kHevc ? "HEVC"
                                                                                  : "AV1",
             session_->stream()->max_bitrate_kbps, session_->stream()->packet_size,
             session_->stream()->audio_channels);
    if (on_play_)
      on_play_({*launch, *session_->stream(), session_->ping_payload(), session_->connect_data()});
  }
}

}  // namespace pf::host::gamestream
