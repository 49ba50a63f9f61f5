// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/gamestream/control_stream.h"

#include <arpa/inet.h>
#include <enet/enet.h>
#include <fcntl.h>

#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "base/log.h"
#include "proto/gamestream/enet_connect.h"

namespace pf::host::gamestream {

using proto::gamestream::ControlCipher;
using proto::gamestream::ControlMessage;

namespace {

std::once_flag g_enet_once;
bool g_enet_ok = false;

// The service thread's ControlStream::Impl (ENet's intercept callback has no user pointer).
thread_local void* t_serving = nullptr;

}  // namespace

// One session: what it expects and, once its client connected, the peer.
struct Slot {
  std::array<uint8_t, 16> key{};
  ControlEvents events;
  ENetPeer* peer = nullptr;
  std::unique_ptr<ControlCipher> cipher;
  std::chrono::steady_clock::time_point last_heard{};
  std::deque<ControlMessage> outbox;
  std::optional<uint32_t> terminate_reason;
  bool terminating = false;  // termination sent, waiting for the disconnect
  uint32_t rtt_ms = 0;       // ENet's smoothed round trip, as of its last message
};

struct ControlStream::Impl {
  ENetHost* host = nullptr;
  mutable std::mutex mu;
  std::map<uint32_t, Slot> slots;         // by connect data
  std::map<ENetPeer*, uint32_t> by_peer;  // connected peers -> connect data
  ControlStats stats;
  std::chrono::milliseconds silence = kSilenceTimeout;

  ~Impl() {
    if (host)
      enet_host_destroy(host);
  }

  // Removes the session (called with mu held); returns its events so the
  // caller can report the end outside the lock.
  ControlEvents remove(uint32_t cd, bool disconnect_now) {
    auto it = slots.find(cd);
    if (it == slots.end())
      return {};
    if (it->second.peer) {
      by_peer.erase(it->second.peer);
      if (disconnect_now)
        enet_peer_disconnect_now(it->second.peer, 0);
    }
    ControlEvents ev = std::move(it->second.events);
    slots.erase(it);
    return ev;
  }

  void seal_and_send(Slot& s, const ControlMessage& m) {
    const auto bytes = s.cipher->seal(m);
    enet_peer_send(s.peer, 0,
                   enet_packet_create(bytes.data(), bytes.size(), ENET_PACKET_FLAG_RELIABLE));
  }

  // Commands from other threads (called with mu held).
  void flush_outboxes() {
    for (auto& [cd, s] : slots) {
      if (!s.peer || !s.cipher || s.terminating)
        continue;
      while (!s.outbox.empty()) {
        seal_and_send(s, s.outbox.front());
        s.outbox.pop_front();
      }
      if (s.terminate_reason) {
        seal_and_send(s, proto::gamestream::make_termination(*s.terminate_reason));
        s.terminate_reason.reset();
        s.terminating = true;
        enet_host_flush(host);
        enet_peer_disconnect_later(s.peer, 0);
      }
    }
  }

  // Before ENet reads a datagram: a CONNECT only for a session that expects its connect data and
  // has no client yet, so strangers cannot take the peer slots (they would hold them until the
  // handshake times out). Returns true to drop it.
  bool refuse_before_enet(std::span<const uint8_t> datagram) {
    using Kind = proto::gamestream::EnetDatagram::Kind;
    const auto d = proto::gamestream::classify_enet_datagram(datagram);
    if (d.kind == Kind::kToPeer)
      return false;
    std::lock_guard lock(mu);
    if (d.kind == Kind::kStrangers) {
      ++stats.stranger_datagrams;
      return true;
    }
    const auto it = slots.find(d.connect_data);
    if (it != slots.end() && !it->second.peer)
      return false;
    ++stats.refused_connects;
    return true;
  }

  void end_session(uint32_t cd, const std::string& why, bool disconnect) {
    ControlEvents ev;
    {
      std::lock_guard lock(mu);
      ev = remove(cd, disconnect);
    }
    log_info("control stream ended: {}", why);
    if (ev.on_ended)
      ev.on_ended(why);
  }

  void on_connect(const ENetEvent& ev, std::chrono::steady_clock::time_point now) {
    std::unique_lock lock(mu);
    auto it = slots.find(ev.data);
    if (it == slots.end() || it->second.peer) {
      ++stats.refused_peers;
      lock.unlock();
      log_warn("control stream: refusing a peer with connect data {} (no session expects it)",
               ev.data);
      enet_peer_disconnect_now(ev.peer, 0);
      return;
    }
    Slot& s = it->second;
    s.peer = ev.peer;
    by_peer[ev.peer] = ev.data;
    s.cipher = std::make_unique<ControlCipher>(s.key);
    s.last_heard = now;
    enet_peer_timeout(ev.peer, 2, 10'000, 10'000);
    auto cb = s.events.on_connected;
    lock.unlock();
    char ip[64] = {};
    enet_address_get_host_ip(&ev.peer->address, ip, sizeof ip);
    log_info("control stream: client {}:{} connected", ip, ev.peer->address.port);
    if (cb)
      cb();
  }

  void on_receive(const ENetEvent& ev, std::chrono::steady_clock::time_point now) {
    std::unique_lock lock(mu);
    auto p = by_peer.find(ev.peer);
    Slot* s = p == by_peer.end() ? nullptr : &slots[p->second];
    if (!s || !s->cipher) {
      lock.unlock();
      enet_packet_destroy(ev.packet);
      return;
    }
    const uint32_t cd = p->second;
    s->last_heard = now;
    s->rtt_ms = ev.peer->roundTripTime;  // read on the thread that owns ENet
    auto m = s->cipher->open(std::span<const uint8_t>(ev.packet->data, ev.packet->dataLength));
    enet_packet_destroy(ev.packet);
    if (!m) {
      const bool forged = m.error().code() == StatusCode::kPermissionDenied;
      ++(forged ? stats.auth_failures : stats.malformed);
      lock.unlock();
      if (forged)
        end_session(cd, "a control message failed authentication", true);
      return;
    }
    ++stats.messages;
    const ControlEvents events = s->events;
    const auto action = proto::gamestream::decide_control(m->type, m->payload);
    if (action.kind == proto::gamestream::ControlAction::Kind::kUnknown)
      ++stats.unknown;
    lock.unlock();
    dispatch(events, action);
  }

  static void dispatch(const ControlEvents& events, const proto::gamestream::ControlAction& a) {
    using Kind = proto::gamestream::ControlAction::Kind;
    switch (a.kind) {
      case Kind::kInvalidateRefs:
        if (events.on_rfi) {
          events.on_rfi(a.rfi);
          break;
        }
        [[fallthrough]];  // (no RFI handler: a keyframe answers it)
      case Kind::kKeyframe:
        if (events.on_idr_request)
          events.on_idr_request();
        break;
      case Kind::kInput:
        if (events.on_input)
          events.on_input(a.payload);
        break;
      case Kind::kFecStatus:
        if (events.on_fec_status)
          events.on_fec_status(a.fec);
        break;
      case Kind::kLiveness:
      case Kind::kUnknown:
        break;
    }
  }

  void on_disconnect(const ENetEvent& ev) {
    std::optional<uint32_t> cd;
    {
      std::lock_guard lock(mu);
      if (auto it = by_peer.find(ev.peer); it != by_peer.end())
        cd = it->second;
    }
    if (cd)
      end_session(*cd, "the client disconnected", false);
  }

  void end_silent(std::chrono::steady_clock::time_point now) {
    std::vector<uint32_t> silent;
    {
      std::lock_guard lock(mu);
      for (const auto& [cd, s] : slots)
        if (s.peer && now - s.last_heard > silence)
          silent.push_back(cd);
    }
    for (uint32_t cd : silent)
      end_session(
          cd,
          fmt::format("no control traffic for {} ms",
                      std::chrono::duration_cast<std::chrono::milliseconds>(silence).count()),
          true);
  }
};

Result<std::unique_ptr<ControlStream>> ControlStream::start(const std::string& address,
                                                            uint16_t port,
                                                            std::chrono::milliseconds silence) {
  std::call_once(g_enet_once, [] { g_enet_ok = enet_initialize() == 0; });
  if (!g_enet_ok)
    return make_error(StatusCode::kUnavailable, "ENet failed to initialize");
  std::unique_ptr<ControlStream> s(new ControlStream());
  s->impl_ = std::make_unique<Impl>();
  s->impl_->silence = silence;
  ENetAddress a{};
  if (enet_address_set_host_ip(&a, address.c_str()) != 0)
    return make_error(
        StatusCode::kInvalidArgument,
        fmt::format("'{}' is not an IPv4 address (Debian's ENet is IPv4-only)", address));
  a.port = port;
  // A peer per session (and a few for refused strangers); channel limit 0 =
  // the protocol maximum (Moonlight asks for 48).
  s->impl_->host = enet_host_create(&a, kMaxSessions + 8, 0, 0, 0);
  if (!s->impl_->host)
    return make_error(StatusCode::kUnavailable,
                      fmt::format("control stream: cannot listen on UDP {}:{}", address, port));
  s->impl_->host->intercept = [](ENetHost* host, ENetEvent*) -> int {
    auto* d = static_cast<Impl*>(t_serving);
    return d && d->refuse_before_enet(
                    std::span<const uint8_t>(host->receivedData, host->receivedDataLength))
               ? 1
               : 0;
  };
  // Debian's ENet opens its socket without close-on-exec.
  ::fcntl(s->impl_->host->socket, F_SETFD, FD_CLOEXEC);
  s->port_ = s->impl_->host->address.port;
  if (s->port_ == 0) {  // ENet does not read back an ephemeral port: ask the socket
    ENetAddress bound{};
    enet_socket_get_address(s->impl_->host->socket, &bound);
    s->port_ = bound.port;
  }
  s->thread_ = std::thread([p = s.get()] { p->loop(); });
  return s;
}

ControlStream::~ControlStream() {
  stop_ = true;
  if (thread_.joinable())
    thread_.join();
}

void ControlStream::expect(uint32_t connect_data,
                           const std::array<uint8_t, 16>& key,
                           ControlEvents events) {
  std::lock_guard lock(impl_->mu);
  (void)impl_->remove(connect_data, true);
  if (impl_->slots.size() >= kMaxSessions) {
    // Full: the oldest session whose client never came makes room.
    for (auto it = impl_->slots.begin(); it != impl_->slots.end(); ++it)
      if (!it->second.peer) {
        impl_->slots.erase(it);
        break;
      }
  }
  Slot& s = impl_->slots[connect_data];
  s.key = key;
  s.events = std::move(events);
}

void ControlStream::send(uint32_t connect_data, const ControlMessage& m) {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->slots.find(connect_data);
  if (it != impl_->slots.end() && it->second.peer && it->second.outbox.size() < 1024)
    it->second.outbox.push_back(m);
}

void ControlStream::terminate(uint32_t connect_data, uint32_t reason) {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->slots.find(connect_data);
  if (it == impl_->slots.end())
    return;
  if (!it->second.peer) {
    impl_->slots.erase(it);  // its client never came: nothing to tell
    return;
  }
  if (!it->second.terminating)
    it->second.terminate_reason = reason;
}

bool ControlStream::connected(uint32_t connect_data) const {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->slots.find(connect_data);
  return it != impl_->slots.end() && it->second.peer;
}

std::optional<uint32_t> ControlStream::rtt_ms(uint32_t connect_data) const {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->slots.find(connect_data);
  if (it == impl_->slots.end() || !it->second.peer)
    return std::nullopt;
  return it->second.rtt_ms;
}

size_t ControlStream::sessions() const {
  std::lock_guard lock(impl_->mu);
  return impl_->slots.size();
}

ControlStats ControlStream::stats() const {
  std::lock_guard lock(impl_->mu);
  return impl_->stats;
}

void ControlStream::loop() {
  pthread_setname_np(pthread_self(), "pf-gs-control");
  Impl& d = *impl_;
  t_serving = &d;
  while (!stop_) {
    {
      std::lock_guard lock(d.mu);
      d.flush_outboxes();
    }
    ENetEvent ev;
    const int r = enet_host_service(d.host, &ev, 5);
    const auto now = std::chrono::steady_clock::now();
    if (r > 0) {
      switch (ev.type) {
        case ENET_EVENT_TYPE_CONNECT:
          d.on_connect(ev, now);
          break;
        case ENET_EVENT_TYPE_RECEIVE:
          d.on_receive(ev, now);
          break;
        case ENET_EVENT_TYPE_DISCONNECT:
          d.on_disconnect(ev);
          break;
        default:
          break;
      }
    }
    d.end_silent(now);
  }
  std::lock_guard lock(d.mu);
  for (auto& [peer, cd] : d.by_peer)
    enet_peer_disconnect_now(peer, 0);
  enet_host_flush(d.host);
}

}  // namespace pf::host::gamestream
