// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/core/native_client.h"

#include <array>
#include <chrono>

#include "base/clock.h"

namespace pf::client {
namespace {

constexpr int kProbesPerRound = 8;
constexpr int64_t kProbeSpacingNs = 20'000'000;
constexpr int64_t kProbeRoundNs = 10'000'000'000;

int64_t now_ns() {
  return SteadyClock::instance().now_ns();
}

std::string close_text(const net::QuicCloseInfo& info) {
  if (!info.reason.empty())
    return info.reason;
  if (info.idle_timeout)
    return "the host did not answer (timeout)";
  return info.application ? "closed" : "QUIC transport error";
}

}  // namespace

NativeClient::NativeClient(const NativeClientOptions& options, NativeClientEvents events)
    : options_(options), events_(std::move(events)) {}

Result<std::unique_ptr<NativeClient>> NativeClient::connect(const NativeClientOptions& options,
                                                            NativeClientEvents events) {
  std::unique_ptr<NativeClient> c(new NativeClient(options, std::move(events)));
  auto own = net::certificate_fingerprint(options.identity.cert_pem);
  if (!own)
    return tl::unexpected(own.error());
  c->own_fp_ = *own;
  NativeClient* self = c.get();
  net::QuicCallbacks cb;
  cb.on_connected = [self](const std::shared_ptr<net::QuicConnection>& q) {
    self->on_connected(q);
  };
  cb.on_stream_data = [self](net::QuicConnection&, std::span<const uint8_t> b) {
    self->on_stream(b);
  };
  cb.on_datagram = [self](net::QuicConnection&, std::span<const uint8_t> b) {
    self->on_datagram(b);
  };
  cb.on_closed = [self](net::QuicConnection&, const net::QuicCloseInfo& i) { self->on_closed(i); };
  cb.on_tick = [self](int64_t now) { self->on_tick(now); };
  net::QuicOptions q = options.quic;
  q.handshake_timeout_ms = options.connect_timeout_ms;
  auto ep = net::QuicEndpoint::connect(options.host, options.identity, std::move(cb), q);
  if (!ep)
    return tl::unexpected(ep.error());
  c->endpoint_ = std::move(*ep);

  std::unique_lock lock(c->mu_);
  const bool answered =
      c->cv_.wait_for(lock, std::chrono::milliseconds(options.connect_timeout_ms + 1000),
                      [&] { return c->conn_ || c->closed_; });
  if (!answered || (!c->conn_ && c->closed_)) {
    const std::string why = answered ? c->close_text_ : "no answer";
    lock.unlock();
    return make_error(StatusCode::kUnavailable,
                      "cannot connect to " + options.host.to_string() + ": " + why);
  }
  if (options.expected_host && c->host_fp_ != *options.expected_host) {
    c->end_locked(0, "unexpected host certificate");
    lock.unlock();
    return make_error(StatusCode::kPermissionDenied,
                      "the host at " + options.host.to_string() +
                          " presented a different certificate than the one paired (" +
                          net::fingerprint_hex(c->host_fp_).substr(0, 16) +
                          "): refusing to connect; pair again if the host was reinstalled");
  }
  return c;
}

NativeClient::~NativeClient() {
  close(0, "bye");
  if (endpoint_)
    endpoint_->shutdown(0, "bye");
}

void NativeClient::on_connected(const std::shared_ptr<net::QuicConnection>& c) {
  std::lock_guard lock(mu_);
  conn_ = c;
  host_fp_ = c->peer_fingerprint();
  last_rx_ns_ = last_tx_ns_ = now_ns();
  cv_.notify_all();
}

bool NativeClient::connected() const {
  std::lock_guard lock(mu_);
  return conn_ && !closed_;
}

bool NativeClient::send_control_locked(const pn::ControlMessage& m) {
  if (!conn_ || closed_)
    return false;
  last_tx_ns_ = now_ns();
  return conn_->send_stream(pn::encode_control(m));
}

bool NativeClient::send_control(const pn::ControlMessage& m) {
  std::lock_guard lock(mu_);
  return send_control_locked(m);
}

void NativeClient::end_locked(uint32_t reason, std::string text) {
  if (closed_)
    return;
  if (conn_) {
    conn_->send_stream(pn::encode_control(pn::Bye{reason, text}));
    conn_->close(reason, text);
  }
  closed_ = true;
  close_reason_ = reason;
  close_text_ = std::move(text);
  cv_.notify_all();
}

void NativeClient::close(uint32_t reason, std::string_view text) {
  std::lock_guard lock(mu_);
  end_locked(reason, std::string(text));
}

Result<PairOutcome> NativeClient::pair(std::string_view pin,
                                       std::string client_name,
                                       int64_t timeout_ms) {
  std::unique_lock lock(mu_);
  if (!conn_ || closed_)
    return make_error(StatusCode::kFailedPrecondition, "not connected");
  auto p = pn::PairingClient::start(pin, own_fp_, host_fp_, std::move(client_name));
  if (!p)
    return tl::unexpected(p.error());
  pairing_ = std::move(*p);
  pair_outcome_.reset();
  send_control_locked(pairing_->first_message());
  if (!cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                    [&] { return pair_outcome_.has_value() || closed_; }))
    return make_error(StatusCode::kTimeout, "the host did not answer the pairing request");
  if (pair_outcome_)
    return *pair_outcome_;
  return make_error(StatusCode::kUnavailable, "pairing failed: " + close_text_);
}

Result<SessionParams> NativeClient::start_session(const pn::Hello& hello, int64_t timeout_ms) {
  std::unique_lock lock(mu_);
  if (!conn_ || closed_)
    return make_error(StatusCode::kFailedPrecondition, "not connected");
  if (hello_sent_)
    return make_error(StatusCode::kFailedPrecondition, "a session was already requested");
  hello_sent_ = true;
  send_control_locked(hello);
  if (!cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                    [&] { return session_.has_value() || closed_; }))
    return make_error(StatusCode::kTimeout, "the host did not answer the session request");
  if (session_)
    return *session_;
  return make_error(close_reason_ == 5 ? StatusCode::kPermissionDenied : StatusCode::kUnavailable,
                    "the host refused the session: " + close_text_);
}

void NativeClient::on_stream(std::span<const uint8_t> bytes) {
  std::lock_guard lock(mu_);
  if (closed_)
    return;
  last_rx_ns_ = now_ns();
  if (Status st = framer_.feed(bytes); !st.is_ok())
    return end_locked(3, st.message());
  while (!closed_) {
    auto m = framer_.next();
    if (!m)
      break;
    if (!*m)
      return end_locked(3, m->error().message());
    handle(**m);
  }
}

void NativeClient::handle(const pn::ControlMessage& m) {
  if (const auto* p = std::get_if<pn::PairMessage>(&m)) {
    if (p->type == pn::kPairResultType) {
      auto r = pn::decode_pair_result(*p);
      if (!r)
        pair_outcome_ = tl::unexpected(r.error());
      else if (r->status == pn::PairStatus::kOk && pairing_)
        pair_outcome_ = PairOutcome{host_fp_, pairing_->host_name()};
      else  // (a status newer than this client is explained by the host's text)
        pair_outcome_ = make_error(
            r->status == pn::PairStatus::kLockedOut  ? StatusCode::kResourceExhausted
            : r->status == pn::PairStatus::kNotSaved ? StatusCode::kUnavailable
                                                     : StatusCode::kPermissionDenied,
            r->status > pn::PairStatus::kNotSaved ? r->text
                                                  : std::string(pn::pair_status_text(r->status)));
      pairing_.reset();
      cv_.notify_all();
      return;
    }
    if (p->type == pn::kPairMessageType && pairing_) {
      auto confirm = pairing_->on_reply(*p);
      if (!confirm) {
        pair_outcome_ = tl::unexpected(confirm.error());
        pairing_.reset();
        cv_.notify_all();
        // Closing mid-pairing counts as a failed attempt on the host.
        return end_locked(0, "pairing failed");
      }
      send_control_locked(*confirm);
      return;
    }
    return end_locked(3, "unexpected pairing message");
  }
  if (const auto* w = std::get_if<pn::Welcome>(&m)) {
    if (!hello_sent_ || session_) {
      ++stats_.control_ignored;
      return;
    }
    const auto ctx = pn::video_exporter_context(w->session_id);
    auto exporter =
        conn_->export_keying_material(pn::video_exporter_label(0), ctx, pn::kExporterBytes);
    auto h2c = exporter ? pn::derive_video_keys(*exporter, pn::KeyDirection::kHostToClient)
                        : Result<pn::DirectionKeys>(tl::unexpected(exporter.error()));
    auto c2h = exporter ? pn::derive_video_keys(*exporter, pn::KeyDirection::kClientToHost)
                        : Result<pn::DirectionKeys>(tl::unexpected(exporter.error()));
    if (!h2c || !c2h) {
      session_ = tl::unexpected(h2c ? c2h.error() : h2c.error());
    } else {
      session_ = SessionParams{*w, *h2c, *c2h};
      probes_left_ = kProbesPerRound;
      next_probe_ns_ = now_ns();
    }
    cv_.notify_all();
    return;
  }
  if (const auto* b = std::get_if<pn::Bye>(&m)) {
    conn_->close(b->reason, b->text);
    closed_ = true;
    close_reason_ = b->reason;
    close_text_ = b->text;
    cv_.notify_all();
    return;
  }
  if (std::holds_alternative<pn::Keepalive>(m) || std::holds_alternative<pn::UnknownMessage>(m))
    return;
  if (std::holds_alternative<pn::SetBitrate>(m) || std::holds_alternative<pn::SetFec>(m) ||
      std::holds_alternative<pn::HdrMetadata>(m) || std::holds_alternative<pn::CursorShape>(m)) {
    if (events_.on_control)
      events_.on_control(m);
    return;
  }
  ++stats_.control_ignored;
}

void NativeClient::on_datagram(std::span<const uint8_t> bytes) {
  const int64_t now = now_ns();
  auto d = pn::decode_datagram(bytes);
  {
    std::lock_guard lock(mu_);
    last_rx_ns_ = now;
    ++stats_.datagrams_received;
    if (!d) {
      ++(d.error().code() == StatusCode::kNotFound ? stats_.datagrams_unknown
                                                   : stats_.datagrams_malformed);
      return;
    }
    if (const auto* r = std::get_if<pn::ClockReplyDatagram>(&*d)) {
      const int64_t rtt = (now - static_cast<int64_t>(r->client_send_ns)) -
                          static_cast<int64_t>(r->host_send_ns - r->host_receive_ns);
      if (rtt >= 0 && (!clock_.valid || rtt < clock_.rtt_ns)) {
        clock_.offset_ns =
            ((static_cast<int64_t>(r->host_receive_ns) - static_cast<int64_t>(r->client_send_ns)) +
             (static_cast<int64_t>(r->host_send_ns) - now)) /
            2;
        clock_.rtt_ns = rtt;
        clock_.valid = true;
      }
      ++clock_.samples;
      return;
    }
  }
  if (const auto* a = std::get_if<pn::AudioDatagram>(&*d)) {
    if (events_.on_audio)
      events_.on_audio(*a);
  } else if (const auto* r = std::get_if<pn::RumbleDatagram>(&*d)) {
    if (events_.on_rumble)
      events_.on_rumble(*r);
  } else if (const auto* t = std::get_if<pn::HostTimingDatagram>(&*d)) {
    if (events_.on_host_timing)
      events_.on_host_timing(*t);
  } else if (const auto* c = std::get_if<pn::CursorDatagram>(&*d)) {
    if (events_.on_cursor)
      events_.on_cursor(*c);
  } else {
    std::lock_guard lock(mu_);
    ++stats_.datagrams_unknown;  // a client->host tag sent by the host
  }
}

void NativeClient::on_closed(const net::QuicCloseInfo& info) {
  uint32_t reason;
  std::string text;
  {
    std::lock_guard lock(mu_);
    if (!closed_) {
      closed_ = true;
      close_reason_ = info.idle_timeout ? 4 : static_cast<uint32_t>(info.app_error);
      close_text_ = close_text(info);
    }
    reason = close_reason_;
    text = close_text_;
    cv_.notify_all();
  }
  if (events_.on_closed)
    events_.on_closed(reason, text);
}

void NativeClient::on_tick(int64_t now) {
  std::lock_guard lock(mu_);
  if (!conn_ || closed_)
    return;
  if (now - last_rx_ns_ > options_.timeout_ms * 1'000'000)
    return end_locked(4, "the host went silent");
  if (session_ && *session_) {
    if (probes_left_ == 0 && now >= next_probe_ns_)
      probes_left_ = kProbesPerRound;
    if (probes_left_ > 0 && now >= next_probe_ns_) {
      std::array<uint8_t, 16> buf{};
      pn::ClockProbeDatagram probe{++probe_seq_, static_cast<uint64_t>(now_ns())};
      if (auto n = pn::encode_datagram(probe, buf))
        conn_->send_datagram(std::span(buf).first(*n));
      --probes_left_;
      next_probe_ns_ = now + (probes_left_ > 0 ? kProbeSpacingNs : kProbeRoundNs);
    }
  }
  if (now - last_tx_ns_ >= options_.keepalive_ms * 1'000'000)
    send_control_locked(pn::Keepalive{});
}

bool NativeClient::send_input(const pn::InputDatagram& e) {
  std::array<uint8_t, 24> buf{};
  auto n = pn::encode_datagram(e, buf);
  std::lock_guard lock(mu_);
  const bool ok = n && conn_ && !closed_ && conn_->send_datagram(std::span(buf).first(*n));
  ++(ok ? stats_.inputs_sent : stats_.sends_refused);
  return ok;
}

bool NativeClient::send_mic(uint32_t seq, uint64_t pts_ns, std::span<const uint8_t> opus) {
  pn::MicDatagram m;
  m.seq = seq;
  m.pts_ns = pts_ns;
  m.opus = opus;
  std::vector<uint8_t> buf(pn::encoded_size(m));
  auto n = pn::encode_datagram(m, buf);
  std::lock_guard lock(mu_);
  const bool ok = n && conn_ && !closed_ && conn_->send_datagram(std::span(buf).first(*n));
  ++(ok ? stats_.mic_sent : stats_.sends_refused);
  return ok;
}

ClockEstimate NativeClient::clock() const {
  std::lock_guard lock(mu_);
  return clock_;
}

NativeClientStats NativeClient::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace pf::client
