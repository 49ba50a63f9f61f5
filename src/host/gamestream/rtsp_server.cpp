// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/gamestream/rtsp_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <span>
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

namespace {

constexpr size_t kMaxPending = 64;
constexpr size_t kMaxPendingPerAddress = 8;
constexpr auto kRequestDeadline = std::chrono::seconds(5);

void drop(int fd) {
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
}

}  // namespace

void RtspServer::loop() {
  std::vector<pollfd> fds;
  for (;;) {
    fds.assign({{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}});
    for (const Pending& p : pending_)
      fds.push_back({p.fd, POLLIN, 0});
    // Deadlines are set at accept, so the oldest connection's comes first.
    int timeout_ms = -1;
    if (!pending_.empty())
      timeout_ms = static_cast<int>(std::max<int64_t>(
          std::chrono::duration_cast<std::chrono::milliseconds>(pending_.front().deadline -
                                                                std::chrono::steady_clock::now())
                  .count() +
              1,
          0));
    if (::poll(fds.data(), fds.size(), timeout_ms) < 0 && errno != EINTR)
      break;
    if (fds[1].revents)
      break;
    // Requests that arrived (fds[2 + i] is pending_[i]); then the late ones.
    for (size_t i = 0; i < pending_.size(); ++i)
      if (fds[2 + i].revents)
        pending_[i].done = read_more(pending_[i]);
    const auto after = std::chrono::steady_clock::now();
    for (Pending& p : pending_)
      if (!p.done && after >= p.deadline) {
        log_debug("RTSP: {} sent no whole request in {} s", p.peer, kRequestDeadline.count());
        drop(p.fd);
        p.done = true;
      }
    std::erase_if(pending_, [](const Pending& p) { return p.done; });
    if (fds[0].revents & POLLIN)
      accept_one();
  }
  for (const Pending& p : pending_)
    drop(p.fd);
  pending_.clear();
}

void RtspServer::accept_one() {
  sockaddr_in peer{};
  socklen_t len = sizeof peer;
  const int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_CLOEXEC);
  if (fd < 0)
    return;
  char ip[INET_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
  if (launch_().empty()) {
    log_debug("RTSP: connection refused, no launch is pending");
    drop(fd);
    return;
  }
  const size_t from_peer = static_cast<size_t>(std::count_if(
      pending_.begin(), pending_.end(), [&](const Pending& p) { return p.peer == ip; }));
  if (from_peer >= kMaxPendingPerAddress) {
    log_debug("RTSP: {} has {} unanswered connections, one more is refused", ip, from_peer);
    drop(fd);
    return;
  }
  if (pending_.size() >= kMaxPending) {  // the oldest goes
    drop(pending_.front().fd);
    pending_.erase(pending_.begin());
  }
  pending_.push_back(Pending{fd, ip, {}, std::chrono::steady_clock::now() + kRequestDeadline});
}

// One request (bounded size): AES-GCM framed when its first byte has the top
// bit set (gamestream-protocol.md 4.2), else RTSP text. Served and closed once
// whole; dropped when malformed or the peer closed first.
bool RtspServer::read_more(Pending& p) {
  char chunk[4096];
  const ssize_t r = ::recv(p.fd, chunk, sizeof chunk, MSG_DONTWAIT);
  if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return false;
  const bool eof = r <= 0;
  if (r > 0)
    p.buf.append(chunk, static_cast<size_t>(r));
  if (p.buf.empty()) {
    drop(p.fd);
    return true;
  }
  const auto bytes =
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(p.buf.data()), p.buf.size());
  auto want = (static_cast<uint8_t>(p.buf[0]) & 0x80)
                  ? proto::gamestream::rtsp_encrypted_size(bytes)
                  : proto::gamestream::rtsp_request_size(p.buf, eof);
  if (!want) {
    log_warn("{}", want.error().message());
    drop(p.fd);
    return true;
  }
  if (*want == 0 || p.buf.size() < *want) {
    if (eof) {
      drop(p.fd);
      return true;
    }
    return false;
  }
  p.buf.resize(*want);
  serve(p.fd, p.peer, p.buf);
  drop(p.fd);
  return true;
}

std::optional<std::pair<LaunchSession, std::string>> RtspServer::match(
    int fd,
    const std::string& raw,
    const std::vector<LaunchSession>& launches,
    const std::string& peer) {
  const auto bytes =
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(raw.data()), raw.size());
  if (static_cast<uint8_t>(raw[0]) & 0x80) {
    // Only its own launch's key opens it (AES-GCM tag).
    for (auto it = launches.rbegin(); it != launches.rend(); ++it)
      if (it->request.encrypted_rtsp())
        if (auto opened = RtspCipher(it->request.rikey).open(bytes, false))
          return std::pair{*it, std::move(*opened)};
    log_warn("RTSP: an encrypted request from {} that no pending launch's key opens", peer);
    return std::nullopt;
  }
  for (auto it = launches.rbegin(); it != launches.rend(); ++it)
    if (!it->request.encrypted_rtsp() && (it->client_address.empty() || it->client_address == peer))
      return std::pair{*it, raw};
  // Sunshine's answer too: plaintext after encryption was chosen is refused.
  const std::string refuse = serialize_rtsp_response(RtspResponse{400, {}, {}}, 0);
  write_all(fd, refuse.data(), refuse.size());
  log_warn("RTSP: plaintext request from {} refused (its launch chose encryption, or it has none)",
           peer);
  return std::nullopt;
}

void RtspServer::serve(int fd, const std::string& peer, const std::string& raw) {
  const auto launches = launch_();
  if (launches.empty()) {
    log_debug("RTSP: connection refused, no launch is pending");
    return;
  }
  // Handshakes of launches no longer pending are over.
  std::erase_if(handshakes_, [&](const auto& kv) {
    return std::none_of(launches.begin(), launches.end(),
                        [&](const LaunchSession& l) { return l.id == kv.first; });
  });
  auto matched = match(fd, raw, launches, peer);
  if (!matched)
    return;
  const auto& [launch, plain] = *matched;
  Handshake& hs = handshakes_[launch.id];
  if (!hs.session)  // a new launch starts a new handshake
    hs.session = std::make_unique<proto::gamestream::RtspSession>(config_);
  auto req = proto::gamestream::parse_rtsp_request(plain);
  RtspResponse resp;
  int cseq = 0;
  if (!req) {
    log_warn("{}", req.error().message());
    resp.status = 400;
  } else {
    cseq = req->cseq();
    resp = hs.session->handle(*req);
    log_debug("RTSP {} {} -> {} ('{}')", req->method, req->target, resp.status, launch.client_name);
    if (resp.status != 200)
      log_warn("RTSP {} {} refused: {}", req->method, req->target, resp.status);
  }
  const std::string text = serialize_rtsp_response(resp, cseq);
  if (launch.request.encrypted_rtsp()) {
    const auto sealed = RtspCipher(launch.request.rikey).seal(++hs.response_sequence, text, true);
    write_all(fd, sealed.data(), sealed.size());
  } else {
    write_all(fd, text.data(), text.size());
  }
  const auto& st = hs.session->stream();
  if (req && req->method == "PLAY" && resp.status == 200 && st) {
    log_info(
        "RTSP handshake done for '{}': {}x{}@{} {} at {} kbit/s, packet size {}, {} audio "
        "channels",
        launch.client_name, st->width, st->height, st->fps,
        st->codec == proto::gamestream::StreamCodec::kH264   ? "H.264"
        : st->codec == proto::gamestream::StreamCodec::kHevc ? "HEVC"
                                                             : "AV1",
        st->max_bitrate_kbps, st->packet_size, st->audio_channels);
    if (on_play_)
      on_play_({launch, *st, hs.session->ping_payload(), hs.session->connect_data()});
  }
}

}  // namespace pf::host::gamestream
