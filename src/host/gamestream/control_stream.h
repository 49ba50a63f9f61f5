// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "proto/gamestream/control.h"

namespace pf::host::gamestream {

// What the control stream reports to the streaming session.
struct ControlEvents {
  std::function<void()> on_connected;
  std::function<void()> on_idr_request;  // START_A, 0x0302, or an RFI without on_rfi
  // 0x0301: the client lost frames first..last; a malformed one is an IDR request.
  std::function<void(const proto::gamestream::InvalidateRefs&)> on_rfi;
  std::function<void(std::span<const uint8_t>)> on_input;  // 0x0206 payloads
  std::function<void(const proto::gamestream::FecStatus&)> on_fec_status;
  std::function<void(const std::string& why)> on_ended;
};

struct ControlStats {
  uint64_t messages = 0, auth_failures = 0, malformed = 0, unknown = 0, refused_peers = 0;
  // Datagrams dropped before ENet saw them: CONNECTs with connect data no session expects (or
  // for a session whose client is connected), and anything else addressed to no peer.
  uint64_t refused_connects = 0, stranger_datagrams = 0;
};

// The GameStream control stream (gamestream-protocol.md 5): an ENet host on
// UDP 47999 with up to 255 channels, serving every streaming session at once.
// Each session is known by its connect data (X-SS-Connect-Data, unique per
// launch): the peer connecting with it belongs to that session, its messages
// are AES-GCM sealed with that launch's rikey, and whatever the host sends or
// ends goes to that peer only — a termination meant for an old session never
// reaches the client of a new one. One service thread owns ENet; other
// threads talk to it through per-session queues. A session ends on ENet
// disconnect, 10 s of silence, a tag failure (as Sunshine does), or
// terminate() (which sends 0x0109 first).
class ControlStream {
 public:
  static constexpr std::chrono::milliseconds kSilenceTimeout{10'000};
  // silence: a connected client quiet this long is gone (tests shorten it).
  static Result<std::unique_ptr<ControlStream>> start(
      const std::string& address,
      uint16_t port,
      std::chrono::milliseconds silence = kSilenceTimeout);
  ~ControlStream();

  uint16_t port() const { return port_; }
  // The peer connecting with `connect_data` belongs to this session (a
  // session expected again with the same connect data is replaced).
  void expect(uint32_t connect_data, const std::array<uint8_t, 16>& key, ControlEvents events);
  // Sends a message to the session's client (reliably, channel 0); dropped
  // while its client is not connected.
  void send(uint32_t connect_data, const proto::gamestream::ControlMessage& m);
  // Ends the session: to a connected client the termination message, a flush
  // and a disconnect (on_ended follows); a session whose client never
  // connected is just forgotten. Unknown sessions are ignored.
  void terminate(uint32_t connect_data, uint32_t reason = proto::gamestream::kTerminateGraceful);
  bool connected(uint32_t connect_data) const;
  // The session's round-trip time (ENet's, from the client's 100-ms pings).
  std::optional<uint32_t> rtt_ms(uint32_t connect_data) const;
  // Sessions expected or connected.
  size_t sessions() const;
  ControlStats stats() const;

  static constexpr size_t kMaxSessions = 64;

 private:
  struct Impl;
  ControlStream() = default;
  void loop();

  std::unique_ptr<Impl> impl_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  uint16_t port_ = 0;
};

}  // namespace pf::host::gamestream
