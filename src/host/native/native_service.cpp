// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/native/native_service.h"

#include <openssl/rand.h>

#include <algorithm>

#include "base/check.h"
#include "base/clock.h"
#include "base/file_io.h"
#include "base/log.h"
#include "host/config/state_file.h"
#include "net/quic/quic_identity.h"

namespace pf::host::native {
namespace {

uint32_t crypto_u32() {
  uint32_t v = 0;
  PF_CHECK(RAND_bytes(reinterpret_cast<unsigned char*>(&v), sizeof v) == 1);
  return v;
}

// SessionIo over one QUIC connection.
class QuicIo final : public SessionIo {
 public:
  explicit QuicIo(std::shared_ptr<net::QuicConnection> c) : c_(std::move(c)) {}
  void send_control(const pn::ControlMessage& m) override {
    c_->send_stream(pn::encode_control(m));
  }
  void send_datagram(std::span<const uint8_t> bytes) override { c_->send_datagram(bytes); }
  void close(uint32_t reason, std::string_view text) override { c_->close(reason, text); }
  Result<std::vector<uint8_t>> export_keying_material(std::string_view label,
                                                      std::span<const uint8_t> context,
                                                      size_t length) override {
    return c_->export_keying_material(label, context, length);
  }
  std::function<bool(std::span<const uint8_t>)> datagram_sender() override {
    return [c = c_](std::span<const uint8_t> b) { return c->send_datagram(b); };
  }
  std::function<bool(std::span<const uint8_t>)> stream_sender() override {
    return [c = c_](std::span<const uint8_t> b) { return c->send_stream(b); };
  }

 private:
  std::shared_ptr<net::QuicConnection> c_;
};

void add_counters(SessionCounters& into, const SessionCounters& c) {
  into.input += c.input;
  into.mic += c.mic;
  into.clock_probes += c.clock_probes;
  into.datagrams_unknown += c.datagrams_unknown;
  into.datagrams_malformed += c.datagrams_malformed;
  into.datagrams_early += c.datagrams_early;
  into.control_ignored += c.control_ignored;
}

}  // namespace

struct NativeService::Conn {
  std::shared_ptr<net::QuicConnection> quic;
  std::unique_ptr<QuicIo> io;
  std::unique_ptr<HostSession> session;
};

Result<std::unique_ptr<NativeService>> NativeService::start(const NativeServiceOptions& options,
                                                            SessionHooks hooks) {
  std::unique_ptr<NativeService> s(new NativeService());
  s->options_ = options;
  s->hooks_ = std::move(hooks);
  auto identity = net::load_or_create_identity(options.state_dir, options.host_name);
  if (!identity)
    return tl::unexpected(identity.error());
  auto fp = net::certificate_fingerprint(identity->cert_pem);
  if (!fp)
    return tl::unexpected(fp.error());
  s->fingerprint_ = *fp;
  s->pins_ = std::make_unique<PinGate>(crypto_u32);
  if (Status st = s->load_peers_locked(); !st.is_ok())
    return tl::unexpected(st);

  auto& so = s->session_options_;
  so.host_name = pn::valid_display_name(options.host_name) ? options.host_name : "punktfunk host";
  so.host_fingerprint = *fp;
  so.caps = options.caps;
  so.timeout_ns = options.session_timeout_ms * 1'000'000;
  so.keepalive_ns = options.keepalive_ms * 1'000'000;
  so.random_u32 = crypto_u32;

  NativeService* self = s.get();
  s->own_hooks_ = s->hooks_;
  s->own_hooks_.is_paired = [self](const pn::Fingerprint& f) {
    std::lock_guard lock(self->mu_);
    (void)self->load_peers_locked();  // picks up edits made while running
    return self->peers_.find(f) != nullptr;
  };
  s->own_hooks_.client_name = [self](const pn::Fingerprint& f) {
    std::lock_guard lock(self->mu_);
    const auto* p = self->peers_.find(f);
    return p ? p->name : std::string();
  };
  s->own_hooks_.add_paired = [self](const pn::PinnedPeer& p) {
    std::lock_guard lock(self->mu_);
    pn::PeerList next = self->peers_;
    next.upsert(p);
    return self->commit_peers_locked(std::move(next));
  };

  net::QuicCallbacks cb;
  cb.on_connected = [self](const std::shared_ptr<net::QuicConnection>& c) {
    std::lock_guard lock(self->mu_);
    auto conn = std::make_unique<Conn>();
    conn->quic = c;
    conn->io = std::make_unique<QuicIo>(c);
    conn->session = std::make_unique<HostSession>(
        *conn->io, self->own_hooks_, *self->pins_, self->session_options_, c->peer_fingerprint(),
        c->peer_address().to_string(), SteadyClock::instance().now_ns());
    self->conns_[c->id()] = std::move(conn);
  };
  cb.on_stream_data = [self](net::QuicConnection& c, std::span<const uint8_t> b) {
    std::lock_guard lock(self->mu_);
    if (auto it = self->conns_.find(c.id()); it != self->conns_.end())
      it->second->session->on_stream_data(b, SteadyClock::instance().now_ns());
  };
  cb.on_datagram = [self](net::QuicConnection& c, std::span<const uint8_t> b) {
    std::lock_guard lock(self->mu_);
    if (auto it = self->conns_.find(c.id()); it != self->conns_.end())
      it->second->session->on_datagram(b, SteadyClock::instance().now_ns());
  };
  cb.on_closed = [self](net::QuicConnection& c, const net::QuicCloseInfo& info) {
    std::lock_guard lock(self->mu_);
    auto it = self->conns_.find(c.id());
    if (it == self->conns_.end())
      return;
    const uint32_t reason = info.idle_timeout  ? kByeTimeout
                            : info.application ? static_cast<uint32_t>(info.app_error)
                                               : kByeProtocolError;
    it->second->session->on_closed(reason);
    add_counters(self->ended_, it->second->session->counters());
    self->conns_.erase(it);
  };
  cb.on_tick = [self](int64_t now_ns) {
    std::lock_guard lock(self->mu_);
    for (auto& [id, c] : self->conns_)
      c->session->on_tick(now_ns);
  };
  auto ep = net::QuicEndpoint::listen(options.bind, *identity, std::move(cb), options.quic);
  if (!ep)
    return tl::unexpected(ep.error());
  s->endpoint_ = std::move(*ep);
  log_info("native: punktfunk/1 on UDP {} (fingerprint {})",
           s->endpoint_->local_address().to_string(), net::fingerprint_hex(*fp).substr(0, 16));
  return s;
}

NativeService::~NativeService() {
  shutdown();
}

void NativeService::shutdown() {
  {
    std::lock_guard lock(mu_);
    for (auto& [id, c] : conns_) {
      if (c->session->state() != HostSession::State::kClosed)
        c->io->send_control(pn::Bye{kByeHostShutdown, "the host is shutting down"});
    }
  }
  if (!endpoint_)
    return;
  endpoint_->shutdown(kByeHostShutdown, "the host is shutting down");
  const net::QuicEndpointStats q = endpoint_->endpoint_stats();
  if (q.retries_sent + q.invalid_tokens + q.refused_full + q.refused_per_address > 0)
    log_info(
        "native: QUIC address validation sent {} Retries, dropped {} Initials with a bad token; "
        "refused {} connections (table full) and {} (per-address limit)",
        q.retries_sent, q.invalid_tokens, q.refused_full, q.refused_per_address);
}

uint16_t NativeService::port() const {
  return endpoint_->local_address().port();
}

std::filesystem::path paired_devices_file(const std::filesystem::path& state_dir) {
  return state_dir / "native-clients.json";
}

Result<PairedDevices> load_paired_devices(const std::filesystem::path& file) {
  PairedDevices out;
  auto loaded = load_state(
      file, proto::config::peer_list_format(),
      [&](std::string_view text) {
        auto list = pn::PeerList::parse(text);
        if (!list)
          return list.error();
        out.list = std::move(*list);
        return Status::ok();
      },
      "devices paired in it have to pair again");
  if (!loaded)
    return tl::unexpected(loaded.error());
  out.moved_aside = loaded->outcome == LoadedState::Outcome::kMovedAside;
  return out;
}

Status NativeService::load_peers_locked() {
  const auto path = paired_devices_file(options_.state_dir);
  std::error_code ec;
  const auto mtime = std::filesystem::last_write_time(path, ec);
  if (ec) {
    peers_ = pn::PeerList();
    return Status::ok();
  }
  if (mtime == peers_mtime_)
    return Status::ok();
  auto loaded = load_paired_devices(path);
  if (!loaded)
    return loaded.error();
  if (loaded->moved_aside) {
    if (peers_.peers().empty())
      return Status::ok();
    // Damaged while this host runs: it still knows the devices; write them back.
    log_warn("{}: rewriting the {} device(s) this host had loaded", path.string(),
             peers_.peers().size());
    return commit_peers_locked(peers_);
  }
  peers_ = std::move(loaded->list);
  peers_mtime_ = std::filesystem::last_write_time(path, ec);
  return Status::ok();
}

Status NativeService::commit_peers_locked(pn::PeerList next) {
  const auto path = paired_devices_file(options_.state_dir);
  if (Status st = write_file_atomic(path, next.serialize(), 0600); !st.is_ok())
    return st;
  peers_ = std::move(next);
  std::error_code ec;
  peers_mtime_ = std::filesystem::last_write_time(path, ec);
  return Status::ok();
}

std::string NativeService::open_pin() {
  const std::string pin = pins_->open(SteadyClock::instance().now_ns());
  log_info("native: pairing PIN {} (valid 120 s, one attempt)", pin);
  return pin;
}

std::optional<std::string> NativeService::current_pin() {
  return pins_->peek(SteadyClock::instance().now_ns());
}

std::vector<pn::PinnedPeer> NativeService::paired_clients() {
  std::lock_guard lock(mu_);
  (void)load_peers_locked();
  return peers_.peers();
}

Result<size_t> NativeService::unpair(std::string_view who) {
  std::lock_guard lock(mu_);
  (void)load_peers_locked();
  const auto before = peers_.peers();
  pn::PeerList next = peers_;
  const size_t n = next.remove(who);
  if (n == 0)
    return n;
  if (Status st = commit_peers_locked(std::move(next)); !st.is_ok())
    return tl::unexpected(st);
  for (auto& [id, c] : conns_) {
    const auto fp = c->quic->peer_fingerprint();
    const bool was = std::any_of(before.begin(), before.end(),
                                 [&](const pn::PinnedPeer& p) { return p.fingerprint == fp; });
    if (was && !peers_.find(fp))
      c->session->end(kByeKicked, "this client was unpaired on the host");
  }
  return n;
}

Result<pn::PinnedPeer> NativeService::rename(std::string_view id, const std::string& name) {
  std::lock_guard lock(mu_);
  (void)load_peers_locked();
  const pn::PinnedPeer* hit = nullptr;
  for (const auto& p : peers_.peers())
    if (id.size() >= 4 && p.id().compare(0, id.size(), id) == 0) {
      if (hit)
        return make_error(StatusCode::kFailedPrecondition,
                          std::string("'") + std::string(id) + "' matches more than one device");
      hit = &p;
    }
  if (!hit)
    return make_error(StatusCode::kNotFound, "no paired device with that id");
  pn::PinnedPeer renamed = *hit;
  renamed.name = name;
  pn::PeerList next = peers_;
  next.upsert(renamed);
  if (Status st = commit_peers_locked(std::move(next)); !st.is_ok())
    return tl::unexpected(st);
  return renamed;
}

NativeServiceStats NativeService::stats() {
  std::lock_guard lock(mu_);
  NativeServiceStats s;
  s.connections = conns_.size();
  s.totals = ended_;
  for (auto& [id, c] : conns_) {
    if (c->session->state() == HostSession::State::kActive)
      ++s.sessions;
    add_counters(s.totals, c->session->counters());
  }
  return s;
}

NativeService::Conn* NativeService::find_session_locked(uint32_t session_id) {
  for (auto& [id, c] : conns_)
    if (c->session->state() == HostSession::State::kActive &&
        c->session->session_id() == session_id)
      return c.get();
  return nullptr;
}

bool NativeService::send(uint32_t session_id, const pn::ControlMessage& m) {
  std::lock_guard lock(mu_);
  Conn* c = find_session_locked(session_id);
  if (!c)
    return false;
  c->session->send(m, SteadyClock::instance().now_ns());
  return true;
}

bool NativeService::send_datagram(uint32_t session_id, std::span<const uint8_t> bytes) {
  std::lock_guard lock(mu_);
  Conn* c = find_session_locked(session_id);
  return c && c->quic->send_datagram(bytes);
}

bool NativeService::kick(uint32_t session_id, std::string_view text) {
  std::lock_guard lock(mu_);
  Conn* c = find_session_locked(session_id);
  if (!c)
    return false;
  c->session->end(kByeKicked, text);
  return true;
}

std::optional<int64_t> NativeService::rtt_ns(uint32_t session_id) {
  std::lock_guard lock(mu_);
  Conn* c = find_session_locked(session_id);
  if (!c)
    return std::nullopt;
  return c->quic->stats().smoothed_rtt_ns;
}

}  // namespace pf::host::native
