// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/token_bucket.h"
#include "host/native/pin_gate.h"
#include "proto/native/control.h"
#include "proto/native/datagrams.h"
#include "proto/native/held_input.h"
#include "proto/native/negotiation.h"
#include "proto/native/pairing.h"
#include "proto/native/peer_list.h"
#include "proto/native/session_keys.h"

// The host's side of one punktfunk/1 connection (protocol sections 2, 3, 5,
// 7), sans-I/O: stream bytes, datagrams and ticks in (with the time), control
// messages, datagrams and a close out through SessionIo; host services are
// reached through SessionHooks. An unpaired client may only pair; a paired
// one negotiates a session with Hello/Welcome and then sends input, mic and
// clock probes as datagrams, which ONE reader (this object) demultiplexes.
//
// Thread model: not thread-safe; the service drives each session from the
// QUIC endpoint thread.
namespace pf::host::native {

namespace pn = pf::proto::native;

// Bye reasons (protocol section 3; 5 and 6 added by this implementation).
enum ByeReason : uint32_t {
  kByeNormal = 0,
  kByeHostShutdown = 1,
  kByeKicked = 2,
  kByeProtocolError = 3,
  kByeTimeout = 4,
  kByeNotPaired = 5,
  kByeHostBusy = 6,  // max_sessions reached (on_session_start said kResourceExhausted)
};

class SessionIo {
 public:
  virtual ~SessionIo() = default;
  virtual void send_control(const pn::ControlMessage& m) = 0;
  virtual void send_datagram(std::span<const uint8_t> bytes) = 0;
  // Closes the connection (QUIC application error = reason) after queued data.
  virtual void close(uint32_t reason, std::string_view text) = 0;
  virtual Result<std::vector<uint8_t>> export_keying_material(std::string_view label,
                                                              std::span<const uint8_t> context,
                                                              size_t length) = 0;
  // A thread-safe datagram sender that stays valid after this session ends
  // (it then refuses), for media threads (host timing, audio).
  virtual std::function<bool(std::span<const uint8_t>)> datagram_sender() = 0;
  virtual std::function<bool(std::span<const uint8_t>)> stream_sender() = 0;
};

// What the host learns when a session starts.
struct SessionStart {
  uint32_t session_id = 0;
  pn::Fingerprint client{};
  std::string client_name;
  std::string client_address;  // "ip:port" of the QUIC connection
  pn::Hello hello;
  pn::Welcome welcome;  // host_video_port still 0 here
  pn::DirectionKeys host_to_client, client_to_host;
  // Sends a datagram to this client from any thread, without the service's lock.
  std::function<bool(std::span<const uint8_t>)> send_datagram;
  // Sends an encoded control message (whole) the same way.
  std::function<bool(std::span<const uint8_t>)> send_control;
};

struct SessionHooks {
  std::function<bool(const pn::Fingerprint&)> is_paired;
  std::function<std::string(const pn::Fingerprint&)> client_name;
  // Stores a newly paired client durably; an error (disk full, read-only) fails the pairing.
  std::function<Status(const pn::PinnedPeer&)> add_paired;
  // Sets up the media side; returns the host's video port, or an error the
  // client is told in its Bye.
  std::function<Result<uint16_t>(const SessionStart&)> on_session_start;
  std::function<void(uint32_t session_id, uint32_t reason)> on_session_end;
  std::function<void(uint32_t session_id, const pn::InputDatagram&)> on_input;
  // capture_host_ns: the packet's capture time on the host clock, from the
  // client's clock probes (0 until one arrived).
  std::function<void(uint32_t session_id, const pn::MicDatagram&, int64_t capture_host_ns)> on_mic;
  // RequestIdr, InvalidateRefs, ReceiverReport, SetBitrate from the client.
  std::function<void(uint32_t session_id, const pn::ControlMessage&)> on_control;
};

struct HostSessionOptions {
  std::string host_name = "punktfunk host";
  pn::Fingerprint host_fingerprint{};  // of the host's own certificate
  pn::HostCapabilities caps;
  int64_t timeout_ns = 10'000'000'000;   // silence that ends a session
  int64_t keepalive_ns = 500'000'000;    // idle time before a Keepalive
  std::function<uint32_t()> random_u32;  // session ids (crypto RNG in production)
  // Input rate bound per session: a client past it (a bug, a flood) has its
  // motion, scroll and presses dropped and counted; releases always pass, so
  // nothing sticks. Far above what hands and 1000 Hz mice send.
  double input_per_second = 4000, input_burst = 1000;
};

struct SessionCounters {
  uint64_t input = 0, mic = 0, clock_probes = 0;
  uint64_t datagrams_unknown = 0, datagrams_malformed = 0, datagrams_early = 0;
  uint64_t control_ignored = 0;
  uint64_t input_rate_limited = 0;  // dropped by the input rate bound
};

class HostSession {
 public:
  enum class State { kConnected, kPairing, kActive, kClosed };

  HostSession(SessionIo& io,
              const SessionHooks& hooks,
              PinGate& pins,
              const HostSessionOptions& options,
              const pn::Fingerprint& peer,
              std::string peer_address,
              int64_t now_ns);

  void on_stream_data(std::span<const uint8_t> bytes, int64_t now_ns);
  void on_datagram(std::span<const uint8_t> bytes, int64_t now_ns);
  void on_tick(int64_t now_ns);
  // The connection is gone (either side closed, or it timed out).
  void on_closed(uint32_t reason);
  // Host -> client notices (SetBitrate, SetFec, HdrMetadata) and datagrams.
  void send(const pn::ControlMessage& m, int64_t now_ns);
  // Ends the session with a Bye and closes.
  void end(uint32_t reason, std::string_view text);

  State state() const { return state_; }
  uint32_t session_id() const { return session_id_; }
  bool paired() const { return paired_; }
  const SessionCounters& counters() const { return counters_; }

 private:
  void handle(const pn::ControlMessage& m, int64_t now_ns);
  void on_pair_start(const pn::PairMessage& m, int64_t now_ns);
  void on_pair_confirm(const pn::PairMessage& m, int64_t now_ns);
  void on_hello(const pn::Hello& h, int64_t now_ns);
  void pair_result(pn::PairStatus status);
  void fail(uint32_t reason, const std::string& text);

  SessionIo& io_;
  const SessionHooks& hooks_;
  PinGate& pins_;
  const HostSessionOptions& options_;
  const pn::Fingerprint peer_;
  const std::string peer_address_;
  std::string peer_ip_;
  State state_ = State::kConnected;
  bool paired_ = false;
  uint32_t session_id_ = 0;
  pn::ControlFramer framer_;
  std::optional<pn::PairingHost> pairing_;
  int64_t last_rx_ns_, last_tx_ns_;
  SessionCounters counters_;
  pn::HeldInput held_;  // released when the session ends: no stuck keys
  TokenBucket input_limit_;
  // min(host receive - client send) over the client's clock probes: the
  // client->host clock offset plus the smallest one-way delay.
  std::optional<int64_t> client_offset_ns_;
};

}  // namespace pf::host::native
