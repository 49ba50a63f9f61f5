// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <sys/socket.h>
#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/status.h"
#include "net/address.h"

namespace pf::net {

struct UdpOptions {
  bool gso = true;  // send equal-size runs as UDP_SEGMENT super-datagrams if the kernel can
  bool gro = true;  // ask the kernel to coalesce received datagrams (UDP_GRO)
  int send_buffer_bytes = 4 << 20;
  int recv_buffer_bytes = 4 << 20;
};

// Received datagrams of one receive() call. Buffers are allocated once, at
// construction; GRO super-datagrams are split back into their segments.
class RecvBatch {
 public:
  explicit RecvBatch(size_t messages = 16);
  size_t size() const { return packets_.size(); }
  std::span<const uint8_t> operator[](size_t i) const { return packets_[i]; }
  std::span<const std::span<const uint8_t>> packets() const { return packets_; }
  // The sender of packet i.
  Address source(size_t i) const;
  // Datagrams the kernel handed over in the last receive (GRO makes this
  // smaller than size()).
  size_t messages() const { return messages_; }
  uint64_t truncated() const { return truncated_; }

 private:
  friend class UdpSocket;
  size_t buffer_bytes_;
  std::vector<uint8_t> memory_;
  std::vector<iovec> iov_;
  std::vector<mmsghdr> msgs_;
  std::vector<sockaddr_storage> from_;
  std::vector<uint8_t> control_;
  std::vector<std::span<const uint8_t>> packets_;
  std::vector<uint16_t> packet_msg_;
  size_t messages_ = 0;
  uint64_t truncated_ = 0;
};

// A UDP socket for the video data plane: batched sends with sendmmsg and
// UDP GSO, batched receives with recvmmsg and UDP GRO, each falling back to
// plain batching when the kernel refuses (probed at open, and again if a GSO
// send fails with EIO). Blocking sends (the kernel's send buffer is the
// backpressure); receive() waits with a timeout.
// Thread model: one sending and one receiving thread may share a socket;
// each further sending thread takes a duplicate().
class UdpSocket {
 public:
  static Result<UdpSocket> open(const Address& local, const UdpOptions& options = {});
  UdpSocket(UdpSocket&& other) noexcept;
  UdpSocket& operator=(UdpSocket&& other) noexcept;
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;
  ~UdpSocket();

  // Another handle on the same kernel socket (same port, same traffic) with
  // its own send buffers, for another sending thread.
  Result<UdpSocket> duplicate() const;
  Status connect(const Address& peer);
  Address local_address() const;
  int fd() const { return fd_; }
  bool gso() const { return gso_; }
  bool gro() const { return gro_; }
  // Effective kernel buffer sizes (what the kernel granted).
  int send_buffer_bytes() const;
  int recv_buffer_bytes() const;
  // Asks for a receive buffer of `bytes` (as root past net.core.rmem_max);
  // returns what the kernel granted, which may be less.
  int set_recv_buffer_bytes(int bytes);

  // Sends every packet, in order, to the connected peer or to `to`. Runs of
  // equal-size packets go out as GSO super-datagrams (at most 64 segments,
  // 65000 bytes), many per sendmmsg call. Returns the number of syscalls.
  Result<size_t> send(std::span<const std::span<const uint8_t>> packets,
                      const Address* to = nullptr);

  // Waits up to timeout_ms (0: do not wait, < 0: forever), then receives what
  // is queued, up to the batch's capacity. kTimeout if nothing came.
  Status receive(RecvBatch& batch, int timeout_ms);

 private:
  explicit UdpSocket(int fd) : fd_(fd) {}
  Result<size_t> send_plain(std::span<const std::span<const uint8_t>> packets, const Address* to);

  int fd_ = -1;
  bool gso_ = false;
  bool gro_ = false;
  std::vector<iovec> iov_;
  std::vector<mmsghdr> msgs_;
  std::vector<uint8_t> control_;
};

}  // namespace pf::net
