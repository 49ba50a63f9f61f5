// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "base/status.h"
#include "net/address.h"
#include "net/udp_socket.h"
#include "proto/native/control.h"
#include "proto/native/session_keys.h"
#include "session/reassembler.h"

// The client's end of punktfunk/1 video (protocol section 4): a UDP socket
// (bound before the Hello, whose client_video_port it fills), authenticated
// probes to the host's video port (every 100 ms until video flows, then every
// second), and a receiver thread that feeds every datagram to the core's
// Reassembler and hands out whole frames or "frames lost" in order.
//
// Thread model: open() and start() from one thread; the frame callback runs
// on the receiver thread (decode there, or hand off); stats() from any thread.
namespace pf::client {

namespace pn = pf::proto::native;

struct VideoReceiverStats {
  session::ReassemblerStats reassembly;
  uint64_t probes_sent = 0, datagrams = 0, frames = 0, frames_lost = 0;
  // Video packets seen (headers that parse) and the highest packet number:
  // highest + 1 - seen is how many never arrived.
  uint64_t packets_seen = 0, highest_packet_number = 0;
};

class VideoReceiver {
 public:
  using FrameSink = std::function<void(const session::ReassemblyEvent&)>;

  // Binds the local socket (port 0 = any) so its port can go into the Hello.
  static Result<std::unique_ptr<VideoReceiver>> open(const net::Address& local);
  ~VideoReceiver();

  uint16_t local_port() const;
  // Starts receiving for the negotiated session; probes go to `host_video`.
  Status start(const pn::Welcome& welcome,
               const pn::DirectionKeys& host_to_client,
               const pn::DirectionKeys& client_to_host,
               const net::Address& host_video,
               FrameSink sink);
  void stop();
  VideoReceiverStats stats() const;

 private:
  void size_receive_buffer();
  VideoReceiver() = default;
  void run();

  std::unique_ptr<net::UdpSocket> socket_;
  pn::Welcome welcome_;
  pn::DirectionKeys c2h_;
  net::Address host_;
  FrameSink sink_;
  std::unique_ptr<session::Reassembler> reassembler_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  VideoReceiverStats stats_;
};

}  // namespace pf::client
