// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/native/host_session.h"

#include <array>

#include <fmt/format.h>

#include "base/log.h"

namespace pf::host::native {

HostSession::HostSession(SessionIo& io,
                         const SessionHooks& hooks,
                         PinGate& pins,
                         const HostSessionOptions& options,
                         const pn::Fingerprint& peer,
                         std::string peer_address,
                         int64_t now_ns)
    : io_(io),
      hooks_(hooks),
      pins_(pins),
      options_(options),
      peer_(peer),
      peer_address_(std::move(peer_address)),
      last_rx_ns_(now_ns),
      last_tx_ns_(now_ns),
      input_limit_(options.input_per_second, options.input_burst) {
  // Lockout is per client address (a fresh certificate must not reset it).
  const auto colon = peer_address_.rfind(':');
  peer_ip_ = colon == std::string::npos ? peer_address_ : peer_address_.substr(0, colon);
  paired_ = hooks_.is_paired && hooks_.is_paired(peer_);
}

void HostSession::fail(uint32_t reason, const std::string& text) {
  end(reason, text);
}

void HostSession::end(uint32_t reason, std::string_view text) {
  if (state_ == State::kClosed)
    return;
  io_.send_control(pn::Bye{reason, std::string(text)});
  io_.close(reason, text);
  on_closed(reason);
}

void HostSession::on_closed(uint32_t reason) {
  if (state_ == State::kClosed)
    return;
  if (state_ == State::kPairing)
    pins_.record_failure(peer_ip_, last_rx_ns_);  // gave up mid-way: counts as a failure
  const bool was_active = state_ == State::kActive;
  state_ = State::kClosed;
  if (was_active && hooks_.on_input)
    for (const auto& up : held_.release_all())
      hooks_.on_input(session_id_, up);
  if (was_active && hooks_.on_session_end)
    hooks_.on_session_end(session_id_, reason);
}

void HostSession::send(const pn::ControlMessage& m, int64_t now_ns) {
  if (state_ == State::kClosed)
    return;
  io_.send_control(m);
  last_tx_ns_ = now_ns;
}

void HostSession::on_stream_data(std::span<const uint8_t> bytes, int64_t now_ns) {
  if (state_ == State::kClosed)
    return;
  last_rx_ns_ = now_ns;
  if (Status st = framer_.feed(bytes); !st.is_ok())
    return fail(kByeProtocolError, st.message());
  while (state_ != State::kClosed) {
    auto m = framer_.next();
    if (!m)
      break;
    if (!*m)
      return fail(kByeProtocolError, m->error().message());
    handle(**m, now_ns);
  }
}

void HostSession::handle(const pn::ControlMessage& m, int64_t now_ns) {
  if (const auto* p = std::get_if<pn::PairMessage>(&m)) {
    if (p->type == pn::kPairStartType && state_ == State::kConnected)
      return on_pair_start(*p, now_ns);
    if (p->type == pn::kPairMessageType && state_ == State::kPairing)
      return on_pair_confirm(*p, now_ns);
    return fail(kByeProtocolError, "unexpected pairing message");
  }
  if (std::holds_alternative<pn::Keepalive>(m) || std::holds_alternative<pn::UnknownMessage>(m))
    return;  // liveness only; unknown types are ignored (forward compatibility)
  if (const auto* b = std::get_if<pn::Bye>(&m)) {
    io_.close(kByeNormal, "bye");
    return on_closed(b->reason);
  }
  if (!paired_)
    return fail(kByeNotPaired,
                "this client is not paired with this host: run `punktfunk-client pair` with the "
                "PIN from `punktfunk-host pair`");
  if (const auto* h = std::get_if<pn::Hello>(&m)) {
    if (state_ == State::kConnected)
      return on_hello(*h, now_ns);
    ++counters_.control_ignored;
    return;
  }
  if (state_ != State::kActive) {
    ++counters_.control_ignored;
    return;
  }
  if (std::holds_alternative<pn::RequestIdr>(m) || std::holds_alternative<pn::InvalidateRefs>(m) ||
      std::holds_alternative<pn::ReceiverReport>(m) || std::holds_alternative<pn::SetBitrate>(m)) {
    if (hooks_.on_control)
      hooks_.on_control(session_id_, m);
    return;
  }
  ++counters_.control_ignored;  // host->client messages sent by a client
}

void HostSession::pair_result(pn::PairStatus status) {
  io_.send_control(pn::encode(pn::PairResult{status, std::string(pn::pair_status_text(status))}));
}

void HostSession::on_pair_start(const pn::PairMessage& m, int64_t now_ns) {
  if (pins_.locked_out(peer_ip_, now_ns)) {
    pair_result(pn::PairStatus::kLockedOut);
    io_.close(kByeNotPaired, "locked out");
    return on_closed(kByeNotPaired);
  }
  const auto pin = pins_.take(now_ns);  // one attempt per PIN, whatever happens next
  if (!pin) {
    pair_result(pn::PairStatus::kNoPin);
    io_.close(kByeNotPaired, "no PIN open");
    return on_closed(kByeNotPaired);
  }
  auto host =
      pn::PairingHost::on_start(m, *pin, peer_, options_.host_fingerprint, options_.host_name);
  if (!host) {
    pins_.record_failure(peer_ip_, now_ns);
    pair_result(pn::PairStatus::kBadMessage);
    io_.close(kByeProtocolError, "bad pairing message");
    return on_closed(kByeProtocolError);
  }
  io_.send_control(host->reply());
  last_tx_ns_ = now_ns;
  pairing_ = std::move(*host);
  state_ = State::kPairing;
}

void HostSession::on_pair_confirm(const pn::PairMessage& m, int64_t now_ns) {
  const bool ok = pairing_->on_confirm(m);
  if (!ok) {
    pins_.record_failure(peer_ip_, now_ns);
    pair_result(pn::PairStatus::kWrongPin);
    io_.close(kByeNotPaired, "wrong PIN");
    state_ = State::kConnected;  // the failure is already counted
    return on_closed(kByeNotPaired);
  }
  pn::PinnedPeer peer;
  peer.fingerprint = peer_;
  peer.name = pairing_->client_name();
  peer.paired_at = pn::utc_now_iso8601();
  if (Status st = hooks_.add_paired ? hooks_.add_paired(peer) : Status::ok(); !st.is_ok()) {
    log_error("native: pairing \"{}\" from {} failed: it could not be saved: {}", peer.name,
              peer_address_, st.message());
    pairing_.reset();
    pair_result(pn::PairStatus::kNotSaved);
    io_.close(kByeNotPaired, "the pairing could not be saved");
    state_ = State::kConnected;
    return on_closed(kByeNotPaired);
  }
  log_info("native: paired client \"{}\" ({}) from {}", peer.name, peer.id(), peer_address_);
  pairing_.reset();
  paired_ = true;
  state_ = State::kConnected;
  pair_result(pn::PairStatus::kOk);
  last_tx_ns_ = now_ns;
}

void HostSession::on_hello(const pn::Hello& hello, int64_t now_ns) {
  uint32_t id = 0;
  while (id == 0)
    id = options_.random_u32 ? options_.random_u32() : 1;
  auto welcome = pn::negotiate(hello, options_.caps, id, 0);
  if (!welcome)
    return fail(kByeProtocolError, welcome.error().message());
  SessionStart start;
  start.session_id = id;
  start.client = peer_;
  start.client_name = hooks_.client_name ? hooks_.client_name(peer_) : std::string();
  start.client_address = peer_address_;
  start.hello = hello;
  start.welcome = *welcome;
  const auto ctx = pn::video_exporter_context(id);
  auto exporter = io_.export_keying_material(pn::video_exporter_label(0), ctx, pn::kExporterBytes);
  if (!exporter)
    return fail(kByeProtocolError, exporter.error().message());
  auto h2c = pn::derive_video_keys(*exporter, pn::KeyDirection::kHostToClient);
  auto c2h = pn::derive_video_keys(*exporter, pn::KeyDirection::kClientToHost);
  if (!h2c || !c2h)
    return fail(kByeProtocolError, "video key derivation failed");
  start.host_to_client = *h2c;
  start.client_to_host = *c2h;
  start.send_datagram = io_.datagram_sender();
  start.send_control = io_.stream_sender();
  if (hooks_.on_session_start) {
    auto port = hooks_.on_session_start(start);
    if (!port)
      return fail(port.error().code() == StatusCode::kResourceExhausted ? kByeHostBusy : kByeKicked,
                  port.error().message());
    welcome->host_video_port = *port;
  }
  session_id_ = id;
  state_ = State::kActive;
  io_.send_control(*welcome);
  last_tx_ns_ = now_ns;
}

void HostSession::on_datagram(std::span<const uint8_t> bytes, int64_t now_ns) {
  if (state_ == State::kClosed)
    return;
  last_rx_ns_ = now_ns;
  if (state_ != State::kActive) {
    ++counters_.datagrams_early;
    return;
  }
  auto d = pn::decode_datagram(bytes);
  if (!d) {
    if (d.error().code() == StatusCode::kNotFound)
      ++counters_.datagrams_unknown;
    else
      ++counters_.datagrams_malformed;
    return;
  }
  if (const auto* in = std::get_if<pn::InputDatagram>(&*d)) {
    ++counters_.input;
    if (!input_limit_.take(now_ns) && !pn::is_release(*in)) {
      ++counters_.input_rate_limited;
      return;
    }
    held_.observe(*in);
    if (hooks_.on_input)
      hooks_.on_input(session_id_, *in);
  } else if (const auto* mic = std::get_if<pn::MicDatagram>(&*d)) {
    ++counters_.mic;
    if (hooks_.on_mic)
      hooks_.on_mic(session_id_, *mic,
                    client_offset_ns_ ? static_cast<int64_t>(mic->pts_ns) + *client_offset_ns_ : 0);
  } else if (const auto* probe = std::get_if<pn::ClockProbeDatagram>(&*d)) {
    ++counters_.clock_probes;
    const int64_t offset = now_ns - static_cast<int64_t>(probe->client_send_ns);
    if (!client_offset_ns_ || offset < *client_offset_ns_)
      client_offset_ns_ = offset;
    pn::ClockReplyDatagram reply{probe->seq, probe->client_send_ns, static_cast<uint64_t>(now_ns),
                                 static_cast<uint64_t>(now_ns)};
    std::array<uint8_t, 32> buf{};
    if (auto n = pn::encode_datagram(reply, buf))
      io_.send_datagram(std::span(buf).first(*n));
  } else {
    ++counters_.datagrams_unknown;  // a host->client tag sent by a client
  }
}

void HostSession::on_tick(int64_t now_ns) {
  if (state_ == State::kClosed)
    return;
  if (now_ns - last_rx_ns_ > options_.timeout_ns)
    return fail(kByeTimeout, fmt::format("the client went silent (nothing for {} ms)",
                                         options_.timeout_ns / 1'000'000));
  if (now_ns - last_tx_ns_ >= options_.keepalive_ns) {
    io_.send_control(pn::Keepalive{});
    last_tx_ns_ = now_ns;
  }
}

}  // namespace pf::host::native
