// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/gamestream/control_stream.h"

#include <arpa/inet.h>
#include <enet/enet.h>

#include <chrono>
#include <deque>

#include <fmt/format.h>

#include "base/log.h"

namespace pf::host::gamestream {

using proto::gamestream::ControlCipher;
using proto::gamestream::ControlMessage;
using proto::gamestream::ControlType;

namespace {

std::once_flag g_enet_once;
bool g_enet_ok = false;

constexpr auto kSilenceTimeout = std::chrono::seconds(10);

}  // namespace

struct ControlStream::Impl {
  ENetHost* host = nullptr;
  mutable std::mutex mu;
  // The expected session.
  std::optional<uint32_t> connect_data;
  std::array<uint8_t, 16> key{};
  ControlEvents events;
  // The connected session.
  ENetPeer* peer = nullptr;
  std::unique_ptr<ControlCipher> cipher;
  std::chrono::steady_clock::time_point last_heard{};
  // Commands from other threads.
  std::deque<std::vector<uint8_t>> outbox_plain;  // messages to seal and send
  std::deque<ControlMessage> outbox;
  std::optional<uint32_t> terminate_reason;
  ControlStats stats;

  ~Impl() {
    if (host)
      enet_host_destroy(host);
  }
};

Result<std::unique_ptr<ControlStream>> ControlStream::start(const std::string& address,
                                                            uint16_t port) {
  std::call_once(g_enet_once, [] { g_enet_ok = enet_initialize() == 0; });
  if (!g_enet_ok)
    return make_error(StatusCode::kUnavailable, "ENet failed to initialize");
  std::unique_ptr<ControlStream> s(new ControlStream());
  s->impl_ = std::make_unique<Impl>();
  ENetAddress a{};
  if (enet_address_set_host_ip(&a, address.c_str()) != 0)
    return make_error(
        StatusCode::kInvalidArgument,
        fmt::format("'{}' is not an IPv4 address (Debian's ENet is IPv4-only)", address));
  a.port = port;
  // One client at a time, channel limit 0 = the protocol maximum (Moonlight asks for 48).
  s->impl_->host = enet_host_create(&a, 4, 0, 0, 0);
  if (!s->impl_->host)
    return make_error(StatusCode::kUnavailable,
                      fmt::format("control stream: cannot listen on UDP {}:{}", address, port));
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
  impl_->connect_data = connect_data;
  impl_->key = key;
  impl_->events = std::move(events);
}

void ControlStream::send(const ControlMessage& m) {
  std::lock_guard lock(impl_->mu);
  impl_->outbox.push_back(m);
}

void ControlStream::terminate(uint32_t reason) {
  std::lock_guard lock(impl_->mu);
  impl_->terminate_reason = reason;
}

ControlStats ControlStream::stats() const {
  std::lock_guard lock(impl_->mu);
  return impl_->stats;
}

void ControlStream::loop() {
  Impl& d = *impl_;
  auto end_session = [&](const std::string& why, bool disconnect) {
    ControlEvents ev;
    {
      std::lock_guard lock(d.mu);
      if (d.peer && disconnect)
        enet_peer_disconnect_now(d.peer, 0);
      d.peer = nullptr;
      d.cipher.reset();
      d.connect_data.reset();
      ev = std::move(d.events);
      d.events = {};
    }
    connected_ = false;
    log_info("control stream ended: {}", why);
    if (ev.on_ended)
      ev.on_ended(why);
  };
  while (!stop_) {
    // Commands from other threads.
    {
      std::unique_lock lock(d.mu);
      if (d.peer && d.cipher) {
        while (!d.outbox.empty()) {
          const auto bytes = d.cipher->seal(d.outbox.front());
          d.outbox.pop_front();
          enet_peer_send(d.peer, 0,
                         enet_packet_create(bytes.data(), bytes.size(), ENET_PACKET_FLAG_RELIABLE));
        }
        if (d.terminate_reason) {
          const auto bytes =
              d.cipher->seal(proto::gamestream::make_termination(*d.terminate_reason));
          d.terminate_reason.reset();
          enet_peer_send(d.peer, 0,
                         enet_packet_create(bytes.data(), bytes.size(), ENET_PACKET_FLAG_RELIABLE));
          enet_host_flush(d.host);
          enet_peer_disconnect_later(d.peer, 0);
        }
      } else {
        d.outbox.clear();
        d.terminate_reason.reset();
      }
    }
    ENetEvent ev;
    const int r = enet_host_service(d.host, &ev, 5);
    const auto now = std::chrono::steady_clock::now();
    if (r > 0) {
      switch (ev.type) {
        case ENET_EVENT_TYPE_CONNECT: {
          std::unique_lock lock(d.mu);
          if (d.peer || !d.connect_data || ev.data != *d.connect_data) {
            ++d.stats.refused_peers;
            lock.unlock();
            log_warn("control stream: refusing a peer with connect data {} (expected {})", ev.data,
                     d.connect_data ? std::to_string(*d.connect_data) : "none");
            enet_peer_disconnect_now(ev.peer, 0);
            break;
          }
          d.peer = ev.peer;
          d.cipher = std::make_unique<ControlCipher>(d.key);
          d.last_heard = now;
          enet_peer_timeout(ev.peer, 2, 10'000, 10'000);
          auto cb = d.events.on_connected;
          lock.unlock();
          connected_ = true;
          char ip[64] = {};
          enet_address_get_host_ip(&ev.peer->address, ip, sizeof ip);
          log_info("control stream: client {}:{} connected", ip, ev.peer->address.port);
          if (cb)
            cb();
          break;
        }
        case ENET_EVENT_TYPE_RECEIVE: {
          std::unique_lock lock(d.mu);
          if (ev.peer != d.peer || !d.cipher) {
            lock.unlock();
            enet_packet_destroy(ev.packet);
            break;
          }
          d.last_heard = now;
          auto m = d.cipher->open(std::span<const uint8_t>(ev.packet->data, ev.packet->dataLength));
          enet_packet_destroy(ev.packet);
          if (!m) {
            if (m.error().code() == StatusCode::kPermissionDenied) {
              ++d.stats.auth_failures;
              lock.unlock();
              end_session("a control message failed authentication", true);
            } else {
              ++d.stats.malformed;
            }
            break;
          }
          ++d.stats.messages;
          const ControlEvents events = d.events;
          const auto type = static_cast<ControlType>(m->type);
          if (type != ControlType::kRequestIdr && type != ControlType::kInvalidateRefs &&
              type != ControlType::kInput && type != ControlType::kFecStatus &&
              type != ControlType::kPing && type != ControlType::kStartB &&
              type != ControlType::kLtrAck)
            ++d.stats.unknown;
          lock.unlock();
          switch (type) {
            case ControlType::kInvalidateRefs:
              if (auto rfi = proto::gamestream::parse_invalidate_refs(m->payload);
                  rfi && events.on_rfi) {
                events.on_rfi(*rfi);
                break;
              }
              if (events.on_idr_request)
                events.on_idr_request();
              break;
            case ControlType::kRequestIdr:
              if (events.on_idr_request)
                events.on_idr_request();
              break;
            case ControlType::kInput:
              if (events.on_input)
                events.on_input(m->payload);
              break;
            case ControlType::kFecStatus:
              if (auto f = proto::gamestream::parse_fec_status(m->payload);
                  f && events.on_fec_status)
                events.on_fec_status(*f);
              break;
            default:
              break;  // pings, START_B, LTR ACKs: liveness only
          }
          break;
        }
        case ENET_EVENT_TYPE_DISCONNECT: {
          bool ours;
          {
            std::lock_guard lock(d.mu);
            ours = ev.peer == d.peer;
            if (ours)
              d.peer = nullptr;
          }
          if (ours)
            end_session("the client disconnected", false);
          break;
        }
        default:
          break;
      }
    }
    bool silent;
    {
      std::lock_guard lock(d.mu);
      silent = d.peer && now - d.last_heard > kSilenceTimeout;
    }
    if (silent)
      end_session("no control traffic for 10 s", true);
  }
  std::lock_guard lock(d.mu);
  if (d.peer) {
    enet_peer_disconnect_now(d.peer, 0);
    enet_host_flush(d.host);
  }
}

}  // namespace pf::host::gamestream
