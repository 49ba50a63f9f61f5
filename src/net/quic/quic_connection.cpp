// SPDX-License-Identifier: MIT OR Apache-2.0
#include "net/quic/quic_connection.h"

#include <gnutls/crypto.h>
#include <sys/socket.h>

#include <algorithm>
#include <climits>
#include <cstring>

namespace pf::net::quic_detail {
namespace {

constexpr size_t kCidLen = 17;
constexpr size_t kMaxPacket = 1500;
constexpr uint64_t kStreamWindow = 1 << 20;
constexpr uint64_t kConnWindow = 4 << 20;
constexpr size_t kDatagramOverhead = 64;  // short header, DATAGRAM frame header, AEAD tag

std::atomic<uint64_t> g_next_id{1};

void random_cid(ngtcp2_cid& cid, size_t len) {
  cid.datalen = len;
  gnutls_rnd(GNUTLS_RND_RANDOM, cid.data, len);
}

ngtcp2_addr to_ngtcp2(const Address& a) {
  return ngtcp2_addr{const_cast<ngtcp2_sockaddr*>(a.sockaddr_ptr()), a.length()};
}

QuicCloseInfo info_from(const ngtcp2_connection_close_error& e, bool by_peer) {
  QuicCloseInfo info;
  info.by_peer = by_peer;
  info.application = e.type == NGTCP2_CONNECTION_CLOSE_ERROR_CODE_TYPE_APPLICATION;
  info.idle_timeout = e.type == NGTCP2_CONNECTION_CLOSE_ERROR_CODE_TYPE_TRANSPORT_IDLE_CLOSE;
  info.app_error = e.error_code;
  if (e.reason && e.reasonlen)
    info.reason.assign(reinterpret_cast<const char*>(e.reason), e.reasonlen);
  return info;
}

}  // namespace

Connection::Connection(bool server,
                       const Address& peer,
                       const QuicOptions& options,
                       EndpointHooks* hooks)
    : id_(g_next_id.fetch_add(1)), server_(server), peer_(peer), options_(options), hooks_(hooks) {
  conn_ref_.get_conn = &Connection::get_conn;
  conn_ref_.user_data = this;
}

Connection::~Connection() {
  if (conn_)
    ngtcp2_conn_del(conn_);
}

ngtcp2_conn* Connection::get_conn(ngtcp2_crypto_conn_ref* ref) {
  return static_cast<Connection*>(ref->user_data)->conn_;
}

Status Connection::init_tls(const TlsCredentials& cred) {
  auto s = make_session(cred, server_, options_.alpn, &conn_ref_);
  if (!s)
    return s.error();
  tls_ = std::move(*s);
  return Status();
}

ngtcp2_callbacks Connection::callbacks() const {
  ngtcp2_callbacks cb{};
  cb.client_initial = ngtcp2_crypto_client_initial_cb;
  cb.recv_client_initial = ngtcp2_crypto_recv_client_initial_cb;
  cb.recv_crypto_data = ngtcp2_crypto_recv_crypto_data_cb;
  cb.encrypt = ngtcp2_crypto_encrypt_cb;
  cb.decrypt = ngtcp2_crypto_decrypt_cb;
  cb.hp_mask = ngtcp2_crypto_hp_mask_cb;
  cb.recv_retry = ngtcp2_crypto_recv_retry_cb;
  cb.update_key = ngtcp2_crypto_update_key_cb;
  cb.delete_crypto_aead_ctx = ngtcp2_crypto_delete_crypto_aead_ctx_cb;
  cb.delete_crypto_cipher_ctx = ngtcp2_crypto_delete_crypto_cipher_ctx_cb;
  cb.get_path_challenge_data = ngtcp2_crypto_get_path_challenge_data_cb;
  cb.version_negotiation = ngtcp2_crypto_version_negotiation_cb;
  cb.rand = &Connection::on_rand;
  cb.get_new_connection_id = &Connection::on_new_cid;
  cb.remove_connection_id = &Connection::on_remove_cid;
  cb.recv_stream_data = &Connection::on_recv_stream_data;
  cb.acked_stream_data_offset = &Connection::on_acked_stream_data;
  // The server's handshake is complete once it has the client's Finished
  // (and so its certificate); a client must wait for confirmation, since it
  // completes before the server has accepted its certificate.
  if (server_)
    cb.handshake_completed = &Connection::on_handshake_confirmed;
  else
    cb.handshake_confirmed = &Connection::on_handshake_confirmed;
  cb.recv_datagram = &Connection::on_recv_datagram;
  cb.stream_open = &Connection::on_stream_open;
  return cb;
}

void Connection::settings_and_params(ngtcp2_settings& s,
                                     ngtcp2_transport_params& p,
                                     int64_t now_ns) const {
  ngtcp2_settings_default(&s);
  s.initial_ts = static_cast<ngtcp2_tstamp>(now_ns);
  s.handshake_timeout =
      static_cast<ngtcp2_duration>(options_.handshake_timeout_ms) * NGTCP2_MILLISECONDS;
  // A LAN's round trip, not the Internet's 333 ms: a lost first Initial (a host whose socket a
  // flood filled) is sent again after ~0.3 s instead of ~1 s.
  s.initial_rtt = 100 * NGTCP2_MILLISECONDS;
  ngtcp2_transport_params_default(&p);
  // Only the client opens a (single) bidirectional stream.
  p.initial_max_streams_bidi = server_ ? 1 : 0;
  p.initial_max_streams_uni = 0;
  p.initial_max_stream_data_bidi_local = kStreamWindow;
  p.initial_max_stream_data_bidi_remote = kStreamWindow;
  p.initial_max_data = kConnWindow;
  p.max_idle_timeout = static_cast<ngtcp2_duration>(options_.idle_timeout_ms) * NGTCP2_MILLISECONDS;
  p.max_datagram_frame_size = 65535;
}

Result<std::shared_ptr<Connection>> Connection::client(const Address& peer,
                                                       const TlsCredentials& cred,
                                                       const QuicOptions& options,
                                                       EndpointHooks* hooks,
                                                       int64_t now_ns) {
  std::shared_ptr<Connection> c(new Connection(false, peer, options, hooks));
  if (Status st = c->init_tls(cred); !st.is_ok())
    return tl::unexpected(st);
  ngtcp2_cid dcid, scid;
  random_cid(dcid, 18);
  random_cid(scid, kCidLen);
  ngtcp2_settings settings;
  ngtcp2_transport_params params;
  c->settings_and_params(settings, params, now_ns);
  c->created_ns_ = now_ns;
  const ngtcp2_callbacks cb = c->callbacks();
  ngtcp2_path path = c->path();
  int rv = ngtcp2_conn_client_new(&c->conn_, &dcid, &scid, &path, NGTCP2_PROTO_VER_V1, &cb,
                                  &settings, &params, nullptr, c.get());
  if (rv != 0)
    return make_error(StatusCode::kInternal,
                      std::string("QUIC client setup failed: ") + ngtcp2_strerror(rv));
  ngtcp2_conn_set_tls_native_handle(c->conn_, c->tls_.get());
  return c;
}

Result<std::shared_ptr<Connection>> Connection::server(const ngtcp2_pkt_hd& hd,
                                                       const Address& peer,
                                                       const TlsCredentials& cred,
                                                       const QuicOptions& options,
                                                       EndpointHooks* hooks,
                                                       int64_t now_ns,
                                                       const ngtcp2_cid* odcid,
                                                       const ngtcp2_cid* retry_scid) {
  std::shared_ptr<Connection> c(new Connection(true, peer, options, hooks));
  if (Status st = c->init_tls(cred); !st.is_ok())
    return tl::unexpected(st);
  ngtcp2_cid scid;
  random_cid(scid, kCidLen);
  ngtcp2_settings settings;
  ngtcp2_transport_params params;
  c->settings_and_params(settings, params, now_ns);
  c->created_ns_ = now_ns;
  // After a Retry the client's first DCID is the token's, and the Initial's
  // DCID is the Retry's SCID (both in the transport parameters, so the client
  // knows nobody tampered with the Retry).
  params.original_dcid = odcid ? *odcid : hd.dcid;
  if (retry_scid) {
    params.retry_scid = *retry_scid;
    params.retry_scid_present = 1;
  }
  params.stateless_reset_token_present = 1;
  ngtcp2_crypto_generate_stateless_reset_token(
      params.stateless_reset_token, hooks->reset_secret.data(), hooks->reset_secret.size(), &scid);
  const ngtcp2_callbacks cb = c->callbacks();
  ngtcp2_path path = c->path();
  int rv = ngtcp2_conn_server_new(&c->conn_, &hd.scid, &scid, &path, hd.version, &cb, &settings,
                                  &params, nullptr, c.get());
  if (rv != 0)
    return make_error(StatusCode::kInternal,
                      std::string("QUIC server setup failed: ") + ngtcp2_strerror(rv));
  ngtcp2_conn_set_tls_native_handle(c->conn_, c->tls_.get());
  hooks->add_cid(hd.dcid, c.get());
  hooks->add_cid(scid, c.get());
  return c;
}

ngtcp2_path Connection::path() {
  return ngtcp2_path{to_ngtcp2(hooks_->local), to_ngtcp2(peer_), nullptr};
}

Fingerprint Connection::peer_fingerprint() const {
  std::lock_guard lock(mu_);
  return peer_fp_;
}

Result<std::vector<uint8_t>> Connection::export_keying_material(std::string_view label,
                                                                std::span<const uint8_t> context,
                                                                size_t length) {
  std::lock_guard lock(mu_);
  if (!confirmed_ || !tls_)
    return make_error(StatusCode::kFailedPrecondition, "the TLS handshake has not completed");
  std::vector<uint8_t> out(length);
  int rc = gnutls_prf_rfc5705(tls_.get(), label.size(), label.data(), context.size(),
                              reinterpret_cast<const char*>(context.data()), length,
                              reinterpret_cast<char*>(out.data()));
  if (rc != 0)
    return make_error(StatusCode::kInternal, std::string("TLS exporter: ") + gnutls_strerror(rc));
  return out;
}

bool Connection::send_stream(std::span<const uint8_t> bytes) {
  {
    std::lock_guard lock(mu_);
    if (finished() || close_requested_ ||
        queued_end_ - chunks_base_ + bytes.size() > options_.max_queued_stream_bytes)
      return false;
    chunks_.emplace_back(bytes.begin(), bytes.end());
    queued_end_ += bytes.size();
  }
  hooks_->wake();
  return true;
}

bool Connection::send_datagram(std::span<const uint8_t> bytes) {
  {
    std::lock_guard lock(mu_);
    if (finished() || close_requested_)
      return false;
    if (datagrams_.size() >= options_.max_queued_datagrams) {
      ++stats_.datagrams_dropped_queue_full;
      return false;
    }
    datagrams_.emplace_back(bytes.begin(), bytes.end());
  }
  hooks_->wake();
  return true;
}

void Connection::close(uint64_t app_error, std::string_view reason) {
  {
    std::lock_guard lock(mu_);
    if (finished() || close_requested_)
      return;
    QuicCloseInfo info;
    info.app_error = app_error;
    info.reason = std::string(reason.substr(0, 200));
    close_requested_ = info;
  }
  hooks_->wake();
}

QuicStats Connection::stats() const {
  std::lock_guard lock(mu_);
  QuicStats s = stats_;
  if (conn_) {
    ngtcp2_conn_stat cs;
    ngtcp2_conn_get_conn_stat(conn_, &cs);
    s.smoothed_rtt_ns = static_cast<int64_t>(cs.smoothed_rtt);
  }
  return s;
}

std::vector<ngtcp2_cid> Connection::scids() const {
  std::lock_guard lock(mu_);
  std::vector<ngtcp2_cid> out(ngtcp2_conn_get_num_scid(conn_));
  out.resize(ngtcp2_conn_get_scid(conn_, out.data()));
  return out;
}

std::vector<Event> Connection::take_events() {
  std::lock_guard lock(mu_);
  return std::exchange(events_, {});
}

int64_t Connection::expiry_ns() const {
  std::lock_guard lock(mu_);
  if (finished())
    return INT64_MAX;
  const ngtcp2_tstamp e = ngtcp2_conn_get_expiry(conn_);
  return e >= static_cast<ngtcp2_tstamp>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(e);
}

void Connection::on_packet(const Address& from, std::span<const uint8_t> packet, int64_t now_ns) {
  std::lock_guard lock(mu_);
  if (finished())
    return;
  ngtcp2_path p{to_ngtcp2(hooks_->local), to_ngtcp2(from), nullptr};
  ngtcp2_pkt_info pi{};
  const int rv = ngtcp2_conn_read_pkt(conn_, &p, &pi, packet.data(), packet.size(),
                                      static_cast<ngtcp2_tstamp>(now_ns));
  if (rv == 0)
    return;
  if (rv == NGTCP2_ERR_DRAINING) {
    ngtcp2_connection_close_error e;
    ngtcp2_conn_get_connection_close_error(conn_, &e);
    finish(info_from(e, true));
  } else if (rv == NGTCP2_ERR_DROP_CONN) {
    QuicCloseInfo info;
    info.application = false;
    info.reason = "connection dropped";
    finish(info);
  } else {
    fail(rv, now_ns);
  }
}

void Connection::on_timer(int64_t now_ns) {
  std::lock_guard lock(mu_);
  if (finished())
    return;
  const int rv = ngtcp2_conn_handle_expiry(conn_, static_cast<ngtcp2_tstamp>(now_ns));
  if (rv == NGTCP2_ERR_IDLE_CLOSE || rv == NGTCP2_ERR_HANDSHAKE_TIMEOUT) {
    QuicCloseInfo info;
    info.application = false;
    info.idle_timeout = true;
    info.reason = rv == NGTCP2_ERR_IDLE_CLOSE ? "idle timeout" : "handshake timeout";
    finish(info);
  } else if (rv != 0) {
    fail(rv, now_ns);
  }
}

void Connection::flush(int64_t now_ns) {
  std::lock_guard lock(mu_);
  if (finished())
    return;
  write_loop(now_ns);
  if (close_requested_ && !finished()) {
    ngtcp2_connection_close_error e;
    ngtcp2_connection_close_error_default(&e);
    ngtcp2_connection_close_error_set_application_error(
        &e, close_requested_->app_error,
        reinterpret_cast<const uint8_t*>(close_requested_->reason.data()),
        close_requested_->reason.size());
    send_connection_close(e, now_ns);
    finish(*close_requested_);
  }
}

void Connection::write_loop(int64_t now_ns) {
  const auto ts = static_cast<ngtcp2_tstamp>(now_ns);
  std::array<uint8_t, kMaxPacket> buf;
  if (!server_ && stream_id_ < 0 && confirmed_ && queued_end_ > sent_offset_) {
    if (ngtcp2_conn_open_bidi_stream(conn_, &stream_id_, nullptr) != 0)
      stream_id_ = -1;
  }
  bool stream_blocked = false;
  for (int i = 0; i < 1024; ++i) {
    ngtcp2_path_storage ps;
    ngtcp2_path_storage_zero(&ps);
    ngtcp2_pkt_info pi{};
    const size_t max_payload = std::min(
        buf.size(), static_cast<size_t>(ngtcp2_conn_get_path_max_tx_udp_payload_size(conn_)));
    ngtcp2_ssize n = 0;
    if (confirmed_ && !datagrams_.empty()) {
      auto& d = datagrams_.front();
      if (d.size() + kDatagramOverhead > max_payload) {
        ++stats_.datagrams_dropped_too_big;
        datagrams_.pop_front();
        continue;
      }
      ngtcp2_vec v{d.data(), d.size()};
      int accepted = 0;
      n = ngtcp2_conn_writev_datagram(conn_, &ps.path, &pi, buf.data(), max_payload, &accepted, 0,
                                      0, &v, 1, ts);
      if (n == NGTCP2_ERR_INVALID_STATE || n == NGTCP2_ERR_INVALID_ARGUMENT) {
        // The peer does not take datagrams (or not this large): drop it, counted.
        ++stats_.datagrams_dropped_too_big;
        datagrams_.pop_front();
        continue;
      }
      if (n < 0)
        return fail(static_cast<int>(n), now_ns);
      if (accepted) {
        ++stats_.datagrams_sent;
        datagrams_.pop_front();
      }
    } else if (stream_id_ >= 0 && !stream_blocked && sent_offset_ < queued_end_) {
      // Find the chunk holding sent_offset_.
      uint64_t off = chunks_base_;
      size_t idx = 0;
      while (off + chunks_[idx].size() <= sent_offset_)
        off += chunks_[idx++].size();
      auto& chunk = chunks_[idx];
      const size_t at = static_cast<size_t>(sent_offset_ - off);
      ngtcp2_vec v{chunk.data() + at, chunk.size() - at};
      ngtcp2_ssize accepted = -1;
      n = ngtcp2_conn_writev_stream(conn_, &ps.path, &pi, buf.data(), max_payload, &accepted, 0,
                                    stream_id_, &v, 1, ts);
      if (n == NGTCP2_ERR_STREAM_DATA_BLOCKED || n == NGTCP2_ERR_STREAM_SHUT_WR ||
          n == NGTCP2_ERR_STREAM_NOT_FOUND) {
        stream_blocked = true;
        continue;
      }
      if (n < 0)
        return fail(static_cast<int>(n), now_ns);
      if (accepted > 0) {
        sent_offset_ += static_cast<uint64_t>(accepted);
        stats_.stream_bytes_sent += static_cast<uint64_t>(accepted);
      }
    } else {
      n = ngtcp2_conn_writev_stream(conn_, &ps.path, &pi, buf.data(), max_payload, nullptr, 0, -1,
                                    nullptr, 0, ts);
      if (n < 0)
        return fail(static_cast<int>(n), now_ns);
    }
    if (n == 0)
      break;  // nothing more to send now (or congestion-limited)
    send_packet({buf.data(), static_cast<size_t>(n)});
  }
}

void Connection::send_connection_close(const ngtcp2_connection_close_error& e, int64_t now_ns) {
  std::array<uint8_t, kMaxPacket> buf;
  ngtcp2_path_storage ps;
  ngtcp2_path_storage_zero(&ps);
  ngtcp2_pkt_info pi{};
  const ngtcp2_ssize n = ngtcp2_conn_write_connection_close(
      conn_, &ps.path, &pi, buf.data(), buf.size(), &e, static_cast<ngtcp2_tstamp>(now_ns));
  if (n > 0)
    send_packet({buf.data(), static_cast<size_t>(n)});
}

void Connection::send_packet(std::span<const uint8_t> pkt) {
  // Loss of a packet here is QUIC's to repair; EAGAIN counts as loss.
  (void)::sendto(hooks_->fd, pkt.data(), pkt.size(), MSG_DONTWAIT, peer_.sockaddr_ptr(),
                 peer_.length());
}

void Connection::finish(const QuicCloseInfo& info) {
  if (finished())
    return;
  finished_.store(true, std::memory_order_release);
  if (connected_ || !server_)
    events_.push_back(Event{Event::kClosed, {}, info});
}

void Connection::fail(int error, int64_t now_ns) {
  ngtcp2_connection_close_error e;
  ngtcp2_connection_close_error_default(&e);
  if (error == NGTCP2_ERR_CRYPTO)
    ngtcp2_connection_close_error_set_transport_error_tls_alert(
        &e, ngtcp2_conn_get_tls_alert(conn_), nullptr, 0);
  else
    ngtcp2_connection_close_error_set_transport_error_liberr(&e, error, nullptr, 0);
  send_connection_close(e, now_ns);
  QuicCloseInfo info;
  info.application = false;
  info.app_error = e.error_code;
  info.reason = std::string("QUIC error: ") + ngtcp2_strerror(error);
  finish(info);
}

// ---- ngtcp2 callbacks (run inside read_pkt / write / expiry, mu_ held) ----

int Connection::on_recv_stream_data(ngtcp2_conn* conn,
                                    uint32_t,
                                    int64_t stream_id,
                                    uint64_t,
                                    const uint8_t* data,
                                    size_t len,
                                    void* user,
                                    void*) {
  auto* self = static_cast<Connection*>(user);
  if (self->stream_id_ < 0)
    self->stream_id_ = stream_id;
  if (stream_id == self->stream_id_ && len > 0) {
    self->stats_.stream_bytes_received += len;
    self->events_.push_back(Event{Event::kStream, std::vector<uint8_t>(data, data + len), {}});
  }
  ngtcp2_conn_extend_max_stream_offset(conn, stream_id, len);
  ngtcp2_conn_extend_max_offset(conn, len);
  return 0;
}

int Connection::on_acked_stream_data(ngtcp2_conn*,
                                     int64_t stream_id,
                                     uint64_t offset,
                                     uint64_t len,
                                     void* user,
                                     void*) {
  auto* self = static_cast<Connection*>(user);
  if (stream_id != self->stream_id_)
    return 0;
  const uint64_t acked_end = std::min(offset + len, self->sent_offset_);
  while (!self->chunks_.empty() && self->chunks_base_ + self->chunks_.front().size() <= acked_end) {
    self->chunks_base_ += self->chunks_.front().size();
    self->chunks_.pop_front();
  }
  return 0;
}

int Connection::on_handshake_confirmed(ngtcp2_conn*, void* user) {
  auto* self = static_cast<Connection*>(user);
  self->confirmed_ = true;
  if (!quic_detail::peer_fingerprint(self->tls_.get(), self->peer_fp_))
    return NGTCP2_ERR_CALLBACK_FAILURE;  // a certificate is mandatory on both sides
  self->connected_ = true;
  self->events_.push_back(Event{Event::kConnected, {}, {}});
  return 0;
}

int Connection::on_recv_datagram(ngtcp2_conn*,
                                 uint32_t,
                                 const uint8_t* data,
                                 size_t len,
                                 void* user) {
  auto* self = static_cast<Connection*>(user);
  ++self->stats_.datagrams_received;
  self->events_.push_back(Event{Event::kDatagram, std::vector<uint8_t>(data, data + len), {}});
  return 0;
}

int Connection::on_stream_open(ngtcp2_conn*, int64_t stream_id, void* user) {
  auto* self = static_cast<Connection*>(user);
  if (self->stream_id_ < 0)
    self->stream_id_ = stream_id;
  return 0;
}

int Connection::on_new_cid(ngtcp2_conn*, ngtcp2_cid* cid, uint8_t* token, size_t len, void* user) {
  auto* self = static_cast<Connection*>(user);
  random_cid(*cid, len);
  if (ngtcp2_crypto_generate_stateless_reset_token(token, self->hooks_->reset_secret.data(),
                                                   self->hooks_->reset_secret.size(), cid) != 0)
    return NGTCP2_ERR_CALLBACK_FAILURE;
  self->hooks_->add_cid(*cid, self);
  return 0;
}

int Connection::on_remove_cid(ngtcp2_conn*, const ngtcp2_cid* cid, void* user) {
  static_cast<Connection*>(user)->hooks_->remove_cid(*cid);
  return 0;
}

void Connection::on_rand(uint8_t* dest, size_t len, const ngtcp2_rand_ctx*) {
  gnutls_rnd(GNUTLS_RND_RANDOM, dest, len);
}

}  // namespace pf::net::quic_detail
