// SPDX-License-Identifier: MIT OR Apache-2.0
// The endpoint thread: one UDP socket, connection-ID demultiplexing, timers,
// and dispatch of connection events to the application's callbacks.
#include <fcntl.h>
#include <gnutls/crypto.h>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "base/clock.h"
#include "base/log.h"
#include "base/thread_priority.h"
#include "net/quic/address_validation.h"
#include "net/quic/quic_connection.h"

namespace pf::net {
namespace {

// The endpoint thread's nice level where allowed (PipeWire runs its own
// non-real-time threads at -11).
constexpr int kQuicThreadNice = -10;

using quic_detail::Connection;
using quic_detail::EndpointHooks;
using quic_detail::Event;
using quic_detail::RetryGate;
using quic_detail::TlsCredentials;

constexpr size_t kShortDcidLen = 17;  // the length of every connection ID this side issues

std::string cid_key(const uint8_t* data, size_t len) {
  return std::string(reinterpret_cast<const char*>(data), len);
}

class Endpoint final : public QuicEndpoint {
 public:
  Endpoint(bool server, QuicCallbacks callbacks, const QuicOptions& options)
      : server_(server), callbacks_(std::move(callbacks)), options_(options) {}

  ~Endpoint() override {
    shutdown(0, {});
    if (thread_.joinable())
      thread_.join();
    if (fd_ >= 0)
      ::close(fd_);
    if (wake_fd_ >= 0)
      ::close(wake_fd_);
  }

  Status open(const Address& local_or_peer, const QuicIdentity& identity) {
    auto cred = TlsCredentials::load(identity);
    if (!cred)
      return cred.error();
    cred_ = *cred;
    const int family = local_or_peer.family();
    fd_ = ::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (fd_ < 0 || wake_fd_ < 0)
      return Status(StatusCode::kUnavailable, std::string("socket: ") + strerror(errno));
    if (server_) {
      // No SO_REUSEADDR: for UDP it would let a second host share the port.
      if (::bind(fd_, local_or_peer.sockaddr_ptr(), local_or_peer.length()) != 0)
        return Status(
            StatusCode::kUnavailable,
            "cannot bind the QUIC port " + local_or_peer.to_string() + ": " + strerror(errno));
    } else if (options_.client_source.valid() && ::bind(fd_, options_.client_source.sockaddr_ptr(),
                                                        options_.client_source.length()) != 0) {
      return Status(
          StatusCode::kUnavailable,
          "cannot send from " + options_.client_source.to_string() + ": " + strerror(errno));
    } else if (::connect(fd_, local_or_peer.sockaddr_ptr(), local_or_peer.length()) != 0) {
      return Status(StatusCode::kUnavailable,
                    "cannot reach " + local_or_peer.to_string() + ": " + strerror(errno));
    }
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&ss), &len);
    local_ = Address::from_sockaddr(reinterpret_cast<sockaddr*>(&ss), len);

    hooks_.fd = fd_;
    hooks_.local = local_;
    hooks_.wake = [this] { wake(); };
    hooks_.add_cid = [this](const ngtcp2_cid& cid, Connection* c) {
      by_cid_[cid_key(cid.data, cid.datalen)] = c;
    };
    hooks_.remove_cid = [this](const ngtcp2_cid& cid) {
      by_cid_.erase(cid_key(cid.data, cid.datalen));
    };
    gnutls_rnd(GNUTLS_RND_KEY, hooks_.reset_secret.data(), hooks_.reset_secret.size());

    if (!server_) {
      auto c = Connection::client(local_or_peer, *cred_, options_, &hooks_, clock_.now_ns());
      if (!c)
        return c.error();
      add_connection(*c);
    }
    thread_ = std::thread([this] { run(); });
    return Status();
  }

  Address local_address() const override { return local_; }

  size_t connection_count() const override {
    std::lock_guard lock(conns_mu_);
    return conns_.size();
  }

  QuicEndpointStats endpoint_stats() const override {
    return {counts_.retries.load(), counts_.invalid.load(), counts_.full.load(),
            counts_.per_address.load()};
  }

  void shutdown(uint64_t app_error, std::string_view reason) override {
    {
      std::lock_guard lock(conns_mu_);
      if (stopping_)
        return;
      stopping_ = true;
      stop_error_ = app_error;
      stop_reason_ = std::string(reason);
    }
    wake();
    // From a callback (the endpoint thread itself) the loop ends on its own.
    if (thread_.joinable() && std::this_thread::get_id() != thread_.get_id())
      thread_.join();
  }

 private:
  void wake() {
    const uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof one);
  }

  void add_connection(const std::shared_ptr<Connection>& c) {
    std::lock_guard lock(conns_mu_);
    conns_.push_back(c);
  }

  void run() {
    pthread_setname_np(pthread_self(), server_ ? "pf-quic-srv" : "pf-quic-cli");
    // Input and the microphone ride this thread's datagrams: on a busy machine
    // it should not queue behind ordinary work (where the host may; see
    // `punktfunk-host doctor`).
    (void)raise_thread_priority(kQuicThreadNice);
    int64_t next_tick = clock_.now_ns();
    std::vector<uint8_t> buf(65536);
    for (;;) {
      bool stop;
      {
        std::lock_guard lock(conns_mu_);
        stop = stopping_;
      }
      if (stop)
        break;
      int64_t now = clock_.now_ns();
      int64_t deadline = next_tick;
      for (auto& c : snapshot())
        deadline = std::min(deadline, c->expiry_ns());
      const int64_t wait_ms = std::clamp<int64_t>((deadline - now + 999'999) / 1'000'000, 0, 1000);
      pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
      ::poll(fds, 2, static_cast<int>(wait_ms));
      if (fds[1].revents & POLLIN) {
        uint64_t v;
        (void)!::read(wake_fd_, &v, sizeof v);
      }
      if (fds[0].revents & POLLIN)
        read_packets(buf);
      now = clock_.now_ns();
      for (auto& c : snapshot()) {
        if (c->expiry_ns() <= now)
          c->on_timer(now);
        c->flush(now);
      }
      dispatch_and_reap();
      if (now >= next_tick) {
        next_tick = now + int64_t{options_.tick_ms} * 1'000'000;
        if (callbacks_.on_tick)
          callbacks_.on_tick(now);
        // Sends queued by the tick go out without waiting for the next wake-up.
        for (auto& c : snapshot())
          c->flush(clock_.now_ns());
        dispatch_and_reap();
      }
    }
    // Shutdown: close everything, tell the application, stop.
    for (auto& c : snapshot()) {
      c->close(stop_error_, stop_reason_);
      c->flush(clock_.now_ns());
    }
    dispatch_and_reap();
  }

  std::vector<std::shared_ptr<Connection>> snapshot() {
    std::lock_guard lock(conns_mu_);
    return conns_;
  }

  void read_packets(std::vector<uint8_t>& buf) {
    for (int i = 0; i < 256; ++i) {
      sockaddr_storage from{};
      socklen_t from_len = sizeof from;
      const ssize_t n =
          ::recvfrom(fd_, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &from_len);
      if (n <= 0)
        return;
      const Address peer = Address::from_sockaddr(reinterpret_cast<sockaddr*>(&from), from_len);
      route({buf.data(), static_cast<size_t>(n)}, peer);
    }
  }

  void route(std::span<const uint8_t> pkt, const Address& peer) {
    const int64_t now = clock_.now_ns();
    if (!server_) {
      for (auto& c : snapshot())
        c->on_packet(peer, pkt, now);
      return;
    }
    ngtcp2_version_cid vc;
    if (ngtcp2_pkt_decode_version_cid(&vc, pkt.data(), pkt.size(), kShortDcidLen) != 0)
      return;  // garbage or an unsupported version: QUIC v1 clients only
    auto it = by_cid_.find(cid_key(vc.dcid, vc.dcidlen));
    if (it != by_cid_.end()) {
      it->second->on_packet(peer, pkt, now);
      return;
    }
    ngtcp2_pkt_hd hd;
    if (ngtcp2_accept(&hd, pkt.data(), pkt.size()) != 0)
      return;  // not a valid first Initial
    RetryGate::Answer v;
    if (options_.validate_addresses) {
      v = retry_gate_.check(hd, peer, now);
      if (v.verdict == RetryGate::Verdict::kRetry) {
        (void)::sendto(fd_, v.retry.data(), v.retry.size(), 0, peer.sockaddr_ptr(), peer.length());
        ++counts_.retries;
        return;
      }
      if (v.verdict == RetryGate::Verdict::kInvalid) {
        ++counts_.invalid;
        return;
      }
    }
    if (!admit(peer))
      return;
    const bool retried = v.verdict == RetryGate::Verdict::kValid;
    auto c = Connection::server(hd, peer, *cred_, options_, &hooks_, now,
                                retried ? &v.odcid : nullptr, retried ? &v.retry_scid : nullptr);
    if (!c) {
      log_warn("quic: cannot accept a connection from {}: {}", peer.to_string(),
               c.error().to_string());
      return;
    }
    add_connection(*c);
    (*c)->on_packet(peer, pkt, now);
  }

  // Room for one more connection: in all, and from this address.
  bool admit(const Address& peer) {
    std::lock_guard lock(conns_mu_);
    if (conns_.size() >= options_.max_connections) {
      ++counts_.full;
      return false;
    }
    const auto from_peer = std::count_if(conns_.begin(), conns_.end(), [&](const auto& c) {
      return c->peer_address().same_host(peer);
    });
    if (static_cast<size_t>(from_peer) >= options_.max_connections_per_address) {
      ++counts_.per_address;
      return false;
    }
    return true;
  }

  void dispatch_and_reap() {
    for (auto& c : snapshot()) {
      for (Event& e : c->take_events()) {
        switch (e.kind) {
          case Event::kConnected:
            if (callbacks_.on_connected)
              callbacks_.on_connected(c);
            break;
          case Event::kStream:
            if (callbacks_.on_stream_data)
              callbacks_.on_stream_data(*c, e.bytes);
            break;
          case Event::kDatagram:
            if (callbacks_.on_datagram)
              callbacks_.on_datagram(*c, e.bytes);
            break;
          case Event::kClosed:
            if (callbacks_.on_closed)
              callbacks_.on_closed(*c, e.close);
            break;
        }
      }
      if (c->finished()) {
        for (auto it = by_cid_.begin(); it != by_cid_.end();)
          it = it->second == c.get() ? by_cid_.erase(it) : std::next(it);
        std::lock_guard lock(conns_mu_);
        std::erase(conns_, c);
      }
    }
  }

  const bool server_;
  QuicCallbacks callbacks_;
  const QuicOptions options_;
  SteadyClock clock_;
  std::shared_ptr<TlsCredentials> cred_;
  int fd_ = -1, wake_fd_ = -1;
  Address local_;
  EndpointHooks hooks_;
  std::unordered_map<std::string, Connection*> by_cid_;  // endpoint thread only
  mutable std::mutex conns_mu_;
  std::vector<std::shared_ptr<Connection>> conns_;  // guarded by conns_mu_
  bool stopping_ = false;                           // guarded by conns_mu_
  uint64_t stop_error_ = 0;
  std::string stop_reason_;
  RetryGate retry_gate_;
  struct {
    std::atomic<uint64_t> retries{0}, invalid{0}, full{0}, per_address{0};
  } counts_;  // written by the endpoint thread
  std::thread thread_;
};

}  // namespace

Result<std::unique_ptr<QuicEndpoint>> QuicEndpoint::listen(const Address& local,
                                                           const QuicIdentity& identity,
                                                           QuicCallbacks callbacks,
                                                           const QuicOptions& options) {
  auto ep = std::make_unique<Endpoint>(true, std::move(callbacks), options);
  if (Status st = ep->open(local, identity); !st.is_ok())
    return tl::unexpected(st);
  return std::unique_ptr<QuicEndpoint>(std::move(ep));
}

Result<std::unique_ptr<QuicEndpoint>> QuicEndpoint::connect(const Address& server,
                                                            const QuicIdentity& identity,
                                                            QuicCallbacks callbacks,
                                                            const QuicOptions& options) {
  auto ep = std::make_unique<Endpoint>(false, std::move(callbacks), options);
  if (Status st = ep->open(server, identity); !st.is_ok())
    return tl::unexpected(st);
  return std::unique_ptr<QuicEndpoint>(std::move(ep));
}

}  // namespace pf::net
