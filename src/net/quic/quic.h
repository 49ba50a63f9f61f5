// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "net/address.h"

// QUIC v1 with DATAGRAM frames for the punktfunk/1 control plane, over
// Debian's ngtcp2 0.12 and GnuTLS. Nothing outside src/net/quic sees an
// ngtcp2 or GnuTLS type: callers get connections that carry ONE
// bidirectional stream (opened by the client) and unreliable datagrams.
//
// Thread model: each QuicEndpoint owns one native thread that owns its UDP
// socket and every connection's QUIC and TLS state. All callbacks run on that
// thread, never concurrently, and must not block. QuicConnection methods are
// thread-safe and never block on the network: sends are queued (bounded) and
// the endpoint thread drains them.
namespace pf::net {

using Fingerprint = std::array<uint8_t, 32>;  // SHA-256 of the peer's DER certificate

struct QuicIdentity {
  std::string cert_pem;  // self-signed X.509 (ECDSA P-256)
  std::string key_pem;   // PKCS#8
};

struct QuicCloseInfo {
  uint64_t app_error = 0;     // application error code (0 = no error)
  bool application = true;    // false: a transport error (code in app_error)
  bool by_peer = false;       // the peer closed (else: this side or a timeout)
  bool idle_timeout = false;  // QUIC idle timeout, no close frame seen
  std::string reason;         // the reason phrase, if any
};

struct QuicStats {
  uint64_t datagrams_sent = 0, datagrams_received = 0;
  uint64_t datagrams_dropped_queue_full = 0;  // send() refused: queue at capacity
  uint64_t datagrams_dropped_too_big = 0;     // larger than the path allows
  uint64_t stream_bytes_sent = 0, stream_bytes_received = 0;
  int64_t smoothed_rtt_ns = 0;
};

class QuicConnection {
 public:
  virtual ~QuicConnection() = default;
  virtual uint64_t id() const = 0;  // unique within the process
  virtual bool is_server() const = 0;
  virtual Address peer_address() const = 0;
  virtual Fingerprint peer_fingerprint() const = 0;
  // RFC 8446 exporter (RFC 5705 style) of the TLS 1.3 session.
  virtual Result<std::vector<uint8_t>> export_keying_material(std::string_view label,
                                                              std::span<const uint8_t> context,
                                                              size_t length) = 0;
  // Appends bytes to the control stream (reliable, in order). False once
  // the connection is closed or the queue holds more than its limit.
  virtual bool send_stream(std::span<const uint8_t> bytes) = 0;
  // Queues one unreliable datagram. False (and counted) if it cannot be sent.
  virtual bool send_datagram(std::span<const uint8_t> bytes) = 0;
  // Closes with an application error code and a reason phrase; queued stream
  // data is flushed first where the peer's flow control allows.
  virtual void close(uint64_t app_error, std::string_view reason) = 0;
  virtual bool closed() const = 0;
  virtual QuicStats stats() const = 0;
};

struct QuicCallbacks {
  // The handshake is confirmed and the peer presented a certificate.
  std::function<void(const std::shared_ptr<QuicConnection>&)> on_connected;
  std::function<void(QuicConnection&, std::span<const uint8_t>)> on_stream_data;
  std::function<void(QuicConnection&, std::span<const uint8_t>)> on_datagram;
  // Called once per connection that reached on_connected, when it ends.
  std::function<void(QuicConnection&, const QuicCloseInfo&)> on_closed;
  // Called on the endpoint thread about every QuicOptions::tick_ms.
  std::function<void(int64_t now_ns)> on_tick;
};

struct QuicOptions {
  std::string alpn = "punktfunk/1";
  int64_t idle_timeout_ms = 15000;  // QUIC transport idle timeout
  int64_t handshake_timeout_ms = 5000;
  int tick_ms = 50;
  size_t max_connections = 64;              // server: further handshakes are refused
  size_t max_connections_per_address = 16;  // server: from one IP address
  // Server: a first Initial must bring a Retry token back (one round trip
  // more) before it gets any state: spoofed floods cannot fill the table.
  bool validate_addresses = true;
  size_t max_queued_datagrams = 4096;        // per connection
  size_t max_queued_stream_bytes = 4 << 20;  // per connection
  // Client: the local address to send from (a multi-homed machine; port 0
  // for any). Unset: the kernel's choice.
  Address client_source;
};

// What a server endpoint turned away (monotonic counts).
struct QuicEndpointStats {
  uint64_t retries_sent = 0;         // Initials without a token, answered with a Retry
  uint64_t invalid_tokens = 0;       // Initials with a token not ours, expired or misaddressed
  uint64_t refused_full = 0;         // valid, but max_connections were open
  uint64_t refused_per_address = 0;  // valid, but its address had its share open
};

class QuicEndpoint {
 public:
  // A server endpoint: accepts connections from any client that presents a
  // certificate (authorization is the caller's business, by fingerprint).
  static Result<std::unique_ptr<QuicEndpoint>> listen(const Address& local,
                                                      const QuicIdentity& identity,
                                                      QuicCallbacks callbacks,
                                                      const QuicOptions& options = {});
  // A client endpoint with one connection to `server`. The handshake runs in
  // the background; on_connected or on_closed reports how it went.
  static Result<std::unique_ptr<QuicEndpoint>> connect(const Address& server,
                                                       const QuicIdentity& identity,
                                                       QuicCallbacks callbacks,
                                                       const QuicOptions& options = {});
  virtual ~QuicEndpoint() = default;
  virtual Address local_address() const = 0;
  // Number of live connections (server) or 0/1 (client).
  virtual size_t connection_count() const = 0;
  virtual QuicEndpointStats endpoint_stats() const = 0;
  // Closes every connection with `app_error` and stops the thread. Idempotent;
  // the destructor calls it with error 0.
  virtual void shutdown(uint64_t app_error = 0, std::string_view reason = {}) = 0;
};

// The SHA-256 fingerprint of a PEM certificate (kInvalidArgument if it does not parse).
Result<Fingerprint> certificate_fingerprint(std::string_view cert_pem);
std::string fingerprint_hex(const Fingerprint& fp);

}  // namespace pf::net
