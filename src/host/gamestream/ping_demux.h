// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "net/udp_socket.h"

namespace pf::host::gamestream {

// Learns where each stream's client is from the pings on one shared UDP port
// (video 47998 or audio 48000, gamestream-protocol.md 6.1 and 8.1): every
// stream's client pings the same port with its own 16-character
// X-SS-Ping-Payload followed by a counter, and the host sends that stream to
// the ping's source address. One receive thread per port; datagrams that
// carry no watched payload are dropped and counted. A client's endpoint may
// change (NAT rebinding): the newest ping wins. Legacy 4-byte "PING"s are
// not matched (the host always sends a payload, and moonlight-common-c then
// always uses it).
class PingDemux {
 public:
  // `socket` outlives the demux; this thread is its only receiver.
  PingDemux(net::UdpSocket& socket, std::string name);
  ~PingDemux();
  PingDemux(const PingDemux&) = delete;
  PingDemux& operator=(const PingDemux&) = delete;

  // Pings with `payload` (16 bytes) are this stream's from now on.
  void watch(const std::string& payload);
  void forget(const std::string& payload);
  // The client's newest endpoint (invalid while it has not pinged).
  net::Address endpoint(const std::string& payload) const;
  uint64_t pings(const std::string& payload) const;
  // Waits for the first ping (until the deadline, or `stop` is set; polled
  // every 100 ms).
  net::Address wait(const std::string& payload,
                    std::chrono::steady_clock::time_point deadline,
                    const std::atomic<bool>& stop) const;
  // Datagrams that matched no watched stream.
  uint64_t unmatched() const;

  static constexpr size_t kPayloadBytes = 16;
  static constexpr size_t kPingBytes = 20;  // payload + BE32 counter

 private:
  struct Peer {
    net::Address endpoint;
    uint64_t pings = 0;
  };
  void loop();

  net::UdpSocket& socket_;
  std::string name_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::map<std::string, Peer> peers_;  // by payload
  uint64_t unmatched_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace pf::host::gamestream
