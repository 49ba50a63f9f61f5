// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <ngtcp2/ngtcp2.h>
#include <ngtcp2/ngtcp2_crypto.h>

#include <atomic>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "net/quic/quic.h"
#include "net/quic/quic_tls.h"

// One QUIC connection: the ngtcp2 connection, its TLS session, the control
// stream's send buffer and the datagram queue. Internal to src/net/quic.
//
// Thread model: the endpoint thread drives it (packets in, packets out,
// timers) with mu_ held and collects Events, which it dispatches to the
// application after releasing mu_. The public QuicConnection methods take
// mu_ briefly from any thread and wake the endpoint.
namespace pf::net::quic_detail {

struct Event {
  enum Kind { kConnected, kStream, kDatagram, kClosed } kind;
  std::vector<uint8_t> bytes;
  QuicCloseInfo close;
};

// Endpoint services a connection needs: its socket, connection-ID
// bookkeeping and a wake-up for queued sends.
struct EndpointHooks {
  int fd = -1;
  Address local;
  std::function<void()> wake;
  std::function<void(const ngtcp2_cid&, class Connection*)> add_cid;
  std::function<void(const ngtcp2_cid&)> remove_cid;
  std::array<uint8_t, 32> reset_secret{};
};

class Connection final : public QuicConnection {
 public:
  // Client: starts the handshake towards `peer`.
  static Result<std::shared_ptr<Connection>> client(const Address& peer,
                                                    const TlsCredentials& cred,
                                                    const QuicOptions& options,
                                                    EndpointHooks* hooks,
                                                    int64_t now_ns);
  // Server: from a client's first Initial packet (already ngtcp2_accept'ed).
  static Result<std::shared_ptr<Connection>> server(const ngtcp2_pkt_hd& hd,
                                                    const Address& peer,
                                                    const TlsCredentials& cred,
                                                    const QuicOptions& options,
                                                    EndpointHooks* hooks,
                                                    int64_t now_ns,
                                                    const ngtcp2_cid* odcid = nullptr,
                                                    const ngtcp2_cid* retry_scid = nullptr);
  ~Connection() override;

  // QuicConnection
  uint64_t id() const override { return id_; }
  bool is_server() const override { return server_; }
  Address peer_address() const override { return peer_; }
  Fingerprint peer_fingerprint() const override;
  Result<std::vector<uint8_t>> export_keying_material(std::string_view label,
                                                      std::span<const uint8_t> context,
                                                      size_t length) override;
  bool send_stream(std::span<const uint8_t> bytes) override;
  bool send_datagram(std::span<const uint8_t> bytes) override;
  void close(uint64_t app_error, std::string_view reason) override;
  bool closed() const override { return finished_.load(std::memory_order_acquire); }
  QuicStats stats() const override;

  // Endpoint thread only.
  void on_packet(const Address& from, std::span<const uint8_t> packet, int64_t now_ns);
  void on_timer(int64_t now_ns);
  void flush(int64_t now_ns);
  int64_t expiry_ns() const;  // when on_timer is next due (INT64_MAX: never)
  // Moves out the events collected so far.
  std::vector<Event> take_events();
  bool finished() const { return finished_.load(std::memory_order_acquire); }
  bool connected_reported() const { return connected_; }
  std::vector<ngtcp2_cid> scids() const;

 private:
  Connection(bool server, const Address& peer, const QuicOptions& options, EndpointHooks* hooks);
  Status init_tls(const TlsCredentials& cred);
  ngtcp2_callbacks callbacks() const;
  void settings_and_params(ngtcp2_settings& s, ngtcp2_transport_params& p, int64_t now_ns) const;
  ngtcp2_path path();
  void write_loop(int64_t now_ns);
  void send_packet(std::span<const uint8_t> pkt);
  // Writes a CONNECTION_CLOSE with `e` and sends it (best effort).
  void send_connection_close(const ngtcp2_connection_close_error& e, int64_t now_ns);
  // Marks the connection ended and reports it (once).
  void finish(const QuicCloseInfo& info);
  void fail(int ngtcp2_error, int64_t now_ns);

  // ngtcp2 callbacks (user_data = this).
  static int on_recv_stream_data(ngtcp2_conn*,
                                 uint32_t,
                                 int64_t,
                                 uint64_t,
                                 const uint8_t*,
                                 size_t,
                                 void*,
                                 void*);
  static int on_acked_stream_data(ngtcp2_conn*, int64_t, uint64_t, uint64_t, void*, void*);
  static int on_handshake_confirmed(ngtcp2_conn*, void*);
  static int on_recv_datagram(ngtcp2_conn*, uint32_t, const uint8_t*, size_t, void*);
  static int on_stream_open(ngtcp2_conn*, int64_t, void*);
  static int on_new_cid(ngtcp2_conn*, ngtcp2_cid*, uint8_t*, size_t, void*);
  static int on_remove_cid(ngtcp2_conn*, const ngtcp2_cid*, void*);
  static void on_rand(uint8_t*, size_t, const ngtcp2_rand_ctx*);
  static ngtcp2_conn* get_conn(ngtcp2_crypto_conn_ref* ref);

  const uint64_t id_;
  const bool server_;
  const Address peer_;
  const QuicOptions options_;
  EndpointHooks* hooks_;

  mutable std::mutex mu_;
  ngtcp2_conn* conn_ = nullptr;
  TlsSession tls_;
  ngtcp2_crypto_conn_ref conn_ref_{};
  Fingerprint peer_fp_{};
  bool confirmed_ = false;
  bool connected_ = false;
  std::atomic<bool> finished_{false};
  std::vector<Event> events_;
  int64_t created_ns_ = 0;

  // Control stream: queued chunks from acked_offset_; ngtcp2 keeps pointers
  // into them until acknowledged, so a chunk's bytes never move.
  int64_t stream_id_ = -1;
  std::deque<std::vector<uint8_t>> chunks_;
  uint64_t chunks_base_ = 0;  // stream offset of chunks_.front()[0]
  uint64_t sent_offset_ = 0;  // stream bytes handed to ngtcp2
  uint64_t queued_end_ = 0;   // stream offset after the last queued byte
  std::deque<std::vector<uint8_t>> datagrams_;
  std::optional<QuicCloseInfo> close_requested_;
  QuicStats stats_;
};

}  // namespace pf::net::quic_detail
