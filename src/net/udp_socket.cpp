// SPDX-License-Identifier: MIT OR Apache-2.0
#include "net/udp_socket.h"

#include <fcntl.h>
#include <netinet/udp.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef UDP_GRO
#define UDP_GRO 104
#endif

namespace pf::net {

namespace {

constexpr size_t kMaxSegments = 64;
constexpr size_t kMaxGsoBytes = 65000;
constexpr size_t kMessagesPerCall = 64;
constexpr size_t kSegCmsgSpace = CMSG_SPACE(sizeof(uint16_t));
constexpr size_t kGroCmsgSpace = CMSG_SPACE(sizeof(int));

Status errno_status(const char* what) {
  const int e = errno;
  return Status(StatusCode::kUnavailable, fmt::format("{}: {}", what, std::strerror(e)));
}

// Asks for a socket buffer of `bytes`: as root past net.core.[rw]mem_max
// (the FORCE option), else up to it.
void ask_buffer(int fd, int opt, int force, int bytes) {
  if (::setsockopt(fd, SOL_SOCKET, force, &bytes, sizeof bytes) != 0)
    ::setsockopt(fd, SOL_SOCKET, opt, &bytes, sizeof bytes);
}

}  // namespace

RecvBatch::RecvBatch(size_t messages) : buffer_bytes_(65536) {
  messages = std::clamp<size_t>(messages, 1, 1024);
  memory_.resize(messages * buffer_bytes_);
  iov_.resize(messages);
  msgs_.resize(messages);
  from_.resize(messages);
  control_.resize(messages * kGroCmsgSpace);
  packets_.reserve(messages * kMaxSegments);
  packet_msg_.reserve(messages * kMaxSegments);
}

Address RecvBatch::source(size_t i) const {
  const size_t m = packet_msg_[i];
  return Address::from_sockaddr(reinterpret_cast<const sockaddr*>(&from_[m]),
                                msgs_[m].msg_hdr.msg_namelen);
}

Result<UdpSocket> UdpSocket::open(const Address& local, const UdpOptions& options) {
  const int fd = ::socket(local.family(), SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return tl::unexpected(errno_status("socket"));
  UdpSocket s(fd);
  if (options.send_buffer_bytes > 0)
    ask_buffer(fd, SO_SNDBUF, SO_SNDBUFFORCE, options.send_buffer_bytes);
  if (options.recv_buffer_bytes > 0)
    ask_buffer(fd, SO_RCVBUF, SO_RCVBUFFORCE, options.recv_buffer_bytes);
  if (::bind(fd, local.sockaddr_ptr(), local.length()) != 0)
    return tl::unexpected(errno_status(fmt::format("bind {}", local.to_string()).c_str()));
  if (options.gso) {
    int zero = 0;  // probe: a per-socket default of 0 means "per message"
    s.gso_ = ::setsockopt(fd, SOL_UDP, UDP_SEGMENT, &zero, sizeof zero) == 0;
  }
  if (options.gro) {
    int one = 1;
    s.gro_ = ::setsockopt(fd, SOL_UDP, UDP_GRO, &one, sizeof one) == 0;
  }
  s.iov_.resize(kMessagesPerCall * kMaxSegments);
  s.msgs_.resize(kMessagesPerCall);
  s.control_.resize(kMessagesPerCall * kSegCmsgSpace);
  return s;
}

Result<UdpSocket> UdpSocket::duplicate() const {
  const int fd = ::fcntl(fd_, F_DUPFD_CLOEXEC, 3);
  if (fd < 0)
    return tl::unexpected(errno_status("dup"));
  UdpSocket s(fd);
  s.gso_ = gso_;
  s.gro_ = gro_;
  s.iov_.resize(kMessagesPerCall * kMaxSegments);
  s.msgs_.resize(kMessagesPerCall);
  s.control_.resize(kMessagesPerCall * kSegCmsgSpace);
  return s;
}

UdpSocket::UdpSocket(UdpSocket&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)),
      gso_(o.gso_),
      gro_(o.gro_),
      iov_(std::move(o.iov_)),
      msgs_(std::move(o.msgs_)),
      control_(std::move(o.control_)) {}

UdpSocket& UdpSocket::operator=(UdpSocket&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = std::exchange(o.fd_, -1);
    gso_ = o.gso_;
    gro_ = o.gro_;
    iov_ = std::move(o.iov_);
    msgs_ = std::move(o.msgs_);
    control_ = std::move(o.control_);
  }
  return *this;
}

UdpSocket::~UdpSocket() {
  if (fd_ >= 0)
    ::close(fd_);
}

Status UdpSocket::connect(const Address& peer) {
  if (::connect(fd_, peer.sockaddr_ptr(), peer.length()) != 0)
    return errno_status(fmt::format("connect {}", peer.to_string()).c_str());
  return Status::ok();
}

Address UdpSocket::local_address() const {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&ss), &len) != 0)
    return {};
  return Address::from_sockaddr(reinterpret_cast<sockaddr*>(&ss), len);
}

int UdpSocket::send_buffer_bytes() const {
  int v = 0;
  socklen_t len = sizeof v;
  ::getsockopt(fd_, SOL_SOCKET, SO_SNDBUF, &v, &len);
  return v;
}

int UdpSocket::set_recv_buffer_bytes(int bytes) {
  ask_buffer(fd_, SO_RCVBUF, SO_RCVBUFFORCE, bytes);
  return recv_buffer_bytes();
}

int UdpSocket::recv_buffer_bytes() const {
  int v = 0;
  socklen_t len = sizeof v;
  ::getsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &v, &len);
  return v;
}

// Sends msgs[0, n): retries on EINTR and partial sends. On failure, *err is
// the errno.
static Result<size_t> flush(int fd, mmsghdr* msgs, size_t n, int* err = nullptr) {
  size_t calls = 0;
  for (size_t done = 0; done < n;) {
    const int r = ::sendmmsg(fd, msgs + done, static_cast<unsigned>(n - done), 0);
    ++calls;
    if (r < 0) {
      if (errno == EINTR)
        continue;
      if (err)
        *err = errno;
      return tl::unexpected(errno_status("sendmmsg"));
    }
    done += static_cast<size_t>(r);
  }
  return calls;
}

Result<size_t> UdpSocket::send_plain(std::span<const std::span<const uint8_t>> packets,
                                     const Address* to) {
  size_t calls = 0;
  for (size_t i = 0; i < packets.size();) {
    const size_t n = std::min(kMessagesPerCall, packets.size() - i);
    for (size_t j = 0; j < n; ++j) {
      iov_[j] = {const_cast<uint8_t*>(packets[i + j].data()), packets[i + j].size()};
      msgs_[j] = {};
      msgs_[j].msg_hdr.msg_iov = &iov_[j];
      msgs_[j].msg_hdr.msg_iovlen = 1;
      if (to) {
        msgs_[j].msg_hdr.msg_name = const_cast<sockaddr*>(to->sockaddr_ptr());
        msgs_[j].msg_hdr.msg_namelen = to->length();
      }
    }
    auto r = flush(fd_, msgs_.data(), n);
    if (!r)
      return r;
    calls += *r;
    i += n;
  }
  return calls;
}

Result<size_t> UdpSocket::send(std::span<const std::span<const uint8_t>> packets,
                               const Address* to) {
  if (!gso_)
    return send_plain(packets, to);
  size_t calls = 0, i = 0;
  while (i < packets.size()) {
    // Build up to kMessagesPerCall super-datagrams of equal-size segments.
    size_t nmsg = 0, niov = 0;
    const size_t call_first = i;
    while (i < packets.size() && nmsg < kMessagesPerCall) {
      const size_t seg = packets[i].size();
      size_t count = 0, bytes = 0;
      while (i + count < packets.size() && count < kMaxSegments &&
             bytes + packets[i + count].size() <= kMaxGsoBytes &&
             packets[i + count].size() <= seg) {
        const bool shorter = packets[i + count].size() < seg;
        iov_[niov + count] = {const_cast<uint8_t*>(packets[i + count].data()),
                              packets[i + count].size()};
        bytes += packets[i + count].size();
        ++count;
        if (shorter)
          break;  // only the last segment may be shorter
      }
      if (count == 0) {  // a single datagram above kMaxGsoBytes: let the kernel refuse it
        iov_[niov] = {const_cast<uint8_t*>(packets[i].data()), packets[i].size()};
        count = 1;
      }
      mmsghdr& m = msgs_[nmsg];
      m = {};
      m.msg_hdr.msg_iov = &iov_[niov];
      m.msg_hdr.msg_iovlen = count;
      if (to) {
        m.msg_hdr.msg_name = const_cast<sockaddr*>(to->sockaddr_ptr());
        m.msg_hdr.msg_namelen = to->length();
      }
      if (count > 1) {
        uint8_t* c = control_.data() + nmsg * kSegCmsgSpace;
        std::memset(c, 0, kSegCmsgSpace);
        m.msg_hdr.msg_control = c;
        m.msg_hdr.msg_controllen = kSegCmsgSpace;
        cmsghdr* cm = CMSG_FIRSTHDR(&m.msg_hdr);
        cm->cmsg_level = SOL_UDP;
        cm->cmsg_type = UDP_SEGMENT;
        cm->cmsg_len = CMSG_LEN(sizeof(uint16_t));
        const auto seg16 = static_cast<uint16_t>(seg);
        std::memcpy(CMSG_DATA(cm), &seg16, sizeof seg16);
      }
      niov += count;
      i += count;
      ++nmsg;
    }
    int err = 0;
    auto r = flush(fd_, msgs_.data(), nmsg, &err);
    if (!r) {
      if (err == EIO) {
        // The device cannot segment (no checksum offload): fall back for good.
        gso_ = false;
        auto rest = send_plain(packets.subspan(call_first), to);
        if (!rest)
          return rest;
        return calls + *rest;
      }
      return r;
    }
    calls += *r;
  }
  return calls;
}

Status UdpSocket::receive(RecvBatch& b, int timeout_ms) {
  b.packets_.clear();
  b.packet_msg_.clear();
  b.messages_ = 0;
  if (timeout_ms != 0) {
    pollfd p{fd_, POLLIN, 0};
    const int r = ::poll(&p, 1, timeout_ms);
    if (r < 0 && errno != EINTR)
      return errno_status("poll");
    if (r <= 0)
      return Status(StatusCode::kTimeout, "timeout");
  }
  const size_t n = b.msgs_.size();
  for (size_t i = 0; i < n; ++i) {
    b.iov_[i] = {b.memory_.data() + i * b.buffer_bytes_, b.buffer_bytes_};
    mmsghdr& m = b.msgs_[i];
    m = {};
    m.msg_hdr.msg_iov = &b.iov_[i];
    m.msg_hdr.msg_iovlen = 1;
    m.msg_hdr.msg_name = &b.from_[i];
    m.msg_hdr.msg_namelen = sizeof(sockaddr_storage);
    m.msg_hdr.msg_control = b.control_.data() + i * kGroCmsgSpace;
    m.msg_hdr.msg_controllen = kGroCmsgSpace;
  }
  int r;
  do {
    r = ::recvmmsg(fd_, b.msgs_.data(), static_cast<unsigned>(n), MSG_DONTWAIT, nullptr);
  } while (r < 0 && errno == EINTR);
  if (r < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK)
      return Status(StatusCode::kTimeout, "nothing queued");
    return errno_status("recvmmsg");
  }
  b.messages_ = static_cast<size_t>(r);
  for (int i = 0; i < r; ++i) {
    mmsghdr& m = b.msgs_[i];
    if (m.msg_hdr.msg_flags & MSG_TRUNC) {
      ++b.truncated_;
      continue;
    }
    size_t seg = m.msg_len;
    for (cmsghdr* c = CMSG_FIRSTHDR(&m.msg_hdr); c; c = CMSG_NXTHDR(&m.msg_hdr, c)) {
      if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO) {
        int v = 0;
        std::memcpy(&v, CMSG_DATA(c), sizeof v);
        if (v > 0)
          seg = static_cast<size_t>(v);
      }
    }
    const uint8_t* base = b.memory_.data() + static_cast<size_t>(i) * b.buffer_bytes_;
    for (size_t off = 0; off < m.msg_len; off += seg) {
      b.packets_.emplace_back(base + off, std::min(seg, m.msg_len - off));
      b.packet_msg_.push_back(static_cast<uint16_t>(i));
    }
  }
  return Status::ok();
}

}  // namespace pf::net
