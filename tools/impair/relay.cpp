// SPDX-License-Identifier: MIT OR Apache-2.0
#include "relay.h"

#include <poll.h>

#include <chrono>
#include <mutex>

#include "net/udp_socket.h"

namespace pf::tools {

namespace {
uint64_t now_us() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}
}  // namespace

struct Relay::Impl {
  std::unique_ptr<net::UdpSocket> front, back;
  net::Address forward, client;
  std::unique_ptr<sim::Link> up, down;
  mutable std::mutex mu;
  RelayStats stats;
};

Result<std::unique_ptr<Relay>> Relay::start(const net::Address& listen,
                                            const net::Address& forward,
                                            const sim::LinkConfig& up,
                                            const sim::LinkConfig& down) {
  net::UdpOptions o;
  o.gso = o.gro = false;
  auto front = net::UdpSocket::open(listen, o);
  if (!front)
    return tl::unexpected(front.error());
  auto back = net::UdpSocket::open(
      listen.family() == AF_INET6 ? *net::Address::parse("::", 0) : net::Address::any_v4(0), o);
  if (!back)
    return tl::unexpected(back.error());
  std::unique_ptr<Relay> r(new Relay());
  r->impl_ = std::make_unique<Impl>();
  r->impl_->front = std::make_unique<net::UdpSocket>(std::move(*front));
  r->impl_->back = std::make_unique<net::UdpSocket>(std::move(*back));
  r->impl_->forward = forward;
  r->impl_->up = std::make_unique<sim::Link>(up);
  r->impl_->down = std::make_unique<sim::Link>(down);
  r->port_ = r->impl_->front->local_address().port();
  r->thread_ = std::thread([p = r.get()] {
    Impl& d = *p->impl_;
    net::RecvBatch batch(32);
    while (!p->stop_) {
      const uint64_t t = now_us();
      const uint64_t next = std::min(d.up->next_arrival_us(), d.down->next_arrival_us());
      const int wait_ms =
          next == UINT64_MAX
              ? 20
              : static_cast<int>(std::min<uint64_t>(20, next > t ? (next - t + 999) / 1000 : 0));
      pollfd fds[2] = {{d.front->fd(), POLLIN, 0}, {d.back->fd(), POLLIN, 0}};
      ::poll(fds, 2, wait_ms);
      const uint64_t now = now_us();
      if (fds[0].revents & POLLIN && d.front->receive(batch, 0).is_ok()) {
        for (size_t i = 0; i < batch.size(); ++i) {
          d.client = batch.source(i);
          d.up->send(batch[i], now);
        }
        std::lock_guard lock(d.mu);
        d.stats.up_in += batch.size();
      }
      if (fds[1].revents & POLLIN && d.back->receive(batch, 0).is_ok()) {
        for (auto pkt : batch.packets())
          d.down->send(pkt, now);
        std::lock_guard lock(d.mu);
        d.stats.down_in += batch.size();
      }
      const size_t n_up = d.up->deliver(now, [&](std::span<const uint8_t> pkt) {
        (void)d.back->send({&pkt, 1}, &d.forward);
      });
      size_t n_down = 0;
      if (d.client.valid())
        n_down = d.down->deliver(now, [&](std::span<const uint8_t> pkt) {
          (void)d.front->send({&pkt, 1}, &d.client);
        });
      std::lock_guard lock(d.mu);
      d.stats.up_out += n_up;
      d.stats.down_out += n_down;
    }
  });
  return r;
}

Relay::~Relay() {
  stop_ = true;
  if (thread_.joinable())
    thread_.join();
}

RelayStats Relay::stats() const {
  std::lock_guard lock(impl_->mu);
  return impl_->stats;
}

}  // namespace pf::tools
