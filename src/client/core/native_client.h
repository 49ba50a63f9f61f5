// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>

#include "base/status.h"
#include "net/quic/quic.h"
#include "proto/native/control.h"
#include "proto/native/datagrams.h"
#include "proto/native/pairing.h"
#include "proto/native/session_keys.h"

// The client side of the punktfunk/1 control plane (protocol sections 2, 3,
// 5, 7), in the core so every client (reference client, C ABI) shares it:
// connect (optionally pinned to a host fingerprint), pair with a PIN, start a
// session (Hello -> Welcome + video keys), send input / mic / control, clock
// sync, keepalive and timeout.
//
// Thread model: the QUIC endpoint thread is the worker; connect(), pair()
// and start_session() block the caller until an answer or a timeout; the
// send_* calls are thread-safe and never block on the network (they queue).
// Event callbacks run on the endpoint thread and must not block.
namespace pf::client {

namespace pn = pf::proto::native;

struct NativeClientOptions {
  net::Address host;
  net::QuicIdentity identity;
  std::optional<pn::Fingerprint> expected_host;  // refuse any other certificate
  int64_t connect_timeout_ms = 5000;
  int64_t keepalive_ms = 500;
  int64_t timeout_ms = 10'000;  // silence that ends the connection
  net::QuicOptions quic;
};

struct NativeClientEvents {
  std::function<void(const pn::AudioDatagram&)> on_audio;
  std::function<void(const pn::RumbleDatagram&)> on_rumble;
  std::function<void(const pn::HostTimingDatagram&)> on_host_timing;
  // Where the host's pointer is (cursor channel, when the Welcome granted it).
  std::function<void(const pn::CursorDatagram&)> on_cursor;
  // Host notices: SetBitrate, SetFec, HdrMetadata, CursorShape.
  std::function<void(const pn::ControlMessage&)> on_control;
  // The connection ended (Bye reason or QUIC application error, and text).
  std::function<void(uint32_t reason, const std::string& text)> on_closed;
};

struct PairOutcome {
  pn::Fingerprint host{};
  std::string host_name;
};

struct SessionParams {
  pn::Welcome welcome;
  pn::DirectionKeys host_to_client, client_to_host;
};

struct ClockEstimate {
  bool valid = false;
  int64_t offset_ns = 0;  // host clock - client clock
  int64_t rtt_ns = 0;     // of the sample used
  uint32_t samples = 0;
};

struct NativeClientStats {
  uint64_t datagrams_received = 0, datagrams_unknown = 0, datagrams_malformed = 0;
  uint64_t inputs_sent = 0, mic_sent = 0, sends_refused = 0;
  uint64_t control_ignored = 0;
};

class NativeClient {
 public:
  // Connects and waits for the handshake. kPermissionDenied if the host's
  // certificate is not `expected_host`; kTimeout/kUnavailable otherwise.
  static Result<std::unique_ptr<NativeClient>> connect(const NativeClientOptions& options,
                                                       NativeClientEvents events = {});
  ~NativeClient();

  const pn::Fingerprint& host_fingerprint() const { return host_fp_; }
  const pn::Fingerprint& own_fingerprint() const { return own_fp_; }

  // PIN pairing: the host's fingerprint and name on success; on failure an
  // error saying why (wrong PIN, no PIN open, locked out).
  Result<PairOutcome> pair(std::string_view pin,
                           std::string client_name,
                           int64_t timeout_ms = 10'000);
  // Negotiates a session; the Welcome and both directions' video keys.
  Result<SessionParams> start_session(const pn::Hello& hello, int64_t timeout_ms = 5000);

  bool send_input(const pn::InputDatagram& e);
  bool send_mic(uint32_t seq, uint64_t pts_ns, std::span<const uint8_t> opus);
  bool send_control(const pn::ControlMessage& m);

  ClockEstimate clock() const;
  NativeClientStats stats() const;
  bool connected() const;
  // The raw connection, for tests and tools that send hostile bytes.
  std::shared_ptr<net::QuicConnection> connection_for_testing() const {
    std::lock_guard lock(mu_);
    return conn_;
  }
  // Bye + close; idempotent. The destructor closes with reason 0.
  void close(uint32_t reason = 0, std::string_view text = "bye");

 private:
  NativeClient(const NativeClientOptions& options, NativeClientEvents events);
  void on_connected(const std::shared_ptr<net::QuicConnection>& c);
  void on_stream(std::span<const uint8_t> bytes);
  void on_datagram(std::span<const uint8_t> bytes);
  void on_closed(const net::QuicCloseInfo& info);
  void on_tick(int64_t now_ns);
  void handle(const pn::ControlMessage& m);
  void end_locked(uint32_t reason, std::string text);
  bool send_control_locked(const pn::ControlMessage& m);

  const NativeClientOptions options_;
  const NativeClientEvents events_;
  pn::Fingerprint own_fp_{}, host_fp_{};
  std::unique_ptr<net::QuicEndpoint> endpoint_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::shared_ptr<net::QuicConnection> conn_;
  bool closed_ = false;
  uint32_t close_reason_ = 0;
  std::string close_text_;
  pn::ControlFramer framer_;
  int64_t last_rx_ns_ = 0, last_tx_ns_ = 0;

  // Pairing in progress.
  std::optional<pn::PairingClient> pairing_;
  std::optional<Result<PairOutcome>> pair_outcome_;
  // Session.
  bool hello_sent_ = false;
  std::optional<Result<SessionParams>> session_;
  uint32_t probe_seq_ = 0;
  int probes_left_ = 0;
  int64_t next_probe_ns_ = 0;
  ClockEstimate clock_;
  NativeClientStats stats_;
};

}  // namespace pf::client
