// SPDX-License-Identifier: MIT OR Apache-2.0
// The relay between two real sockets on 127.0.0.1: loss near the set rate,
// delay at least the set delay, answers find their way back.
#include "relay.h"

#include <chrono>
#include <cstring>
#include <map>
#include <thread>

#include <gtest/gtest.h>

#include "net/udp_socket.h"

namespace pf::tools {
namespace {

uint64_t now_us() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

TEST(RelayTest, LossDelayAndTheWayBack) {
  auto server = net::UdpSocket::open(net::Address::loopback_v4(0));
  auto client = net::UdpSocket::open(net::Address::loopback_v4(0));
  ASSERT_TRUE(server && client);
  sim::LinkConfig up;
  up.loss = 0.10;
  up.delay_us = 5000;
  up.seed = 3;
  sim::LinkConfig down;
  down.delay_us = 5000;
  auto relay = Relay::start(net::Address::loopback_v4(0), server->local_address(), up, down);
  ASSERT_TRUE(relay) << relay.error().to_string();
  const auto to = net::Address::loopback_v4((*relay)->port());
  std::map<uint32_t, uint64_t> sent_at;
  for (uint32_t i = 0; i < 2000; ++i) {
    uint8_t p[12];
    const uint64_t t = now_us();
    std::memcpy(p, &i, 4);
    std::memcpy(p + 4, &t, 8);
    std::span<const uint8_t> s(p, sizeof p);
    ASSERT_TRUE(client->send({&s, 1}, &to));
    sent_at[i] = t;
    if (i % 100 == 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  net::RecvBatch batch(32);
  size_t got = 0;
  uint64_t min_delay = UINT64_MAX;
  net::Address relay_side;
  while (server->receive(batch, 300).is_ok()) {
    const uint64_t t = now_us();
    for (size_t i = 0; i < batch.size(); ++i) {
      uint64_t sent;
      std::memcpy(&sent, batch[i].data() + 4, 8);
      min_delay = std::min(min_delay, t - sent);
      relay_side = batch.source(i);
      ++got;
    }
  }
  const double loss = 1.0 - got / 2000.0;
  EXPECT_NEAR(loss, 0.10, 0.03);
  EXPECT_GE(min_delay, 5000u);
  // The answer goes back through the relay to the client.
  const uint8_t answer[3] = {9, 9, 9};
  std::span<const uint8_t> a(answer, 3);
  ASSERT_TRUE(server->send({&a, 1}, &relay_side));
  ASSERT_TRUE(client->receive(batch, 2000).is_ok());
  EXPECT_EQ(batch[0][0], 9);
  // The relay counts after sending: give it a moment.
  for (int i = 0; i < 100 && (*relay)->stats().down_out == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ((*relay)->stats().down_out, 1u);
  EXPECT_EQ((*relay)->stats().up_in, 2000u);
}

// A rate limit up and none down: a burst into a small queue loses what does
// not fit and the rest arrives at the rate; the way back is untouched.
TEST(RelayTest, RateLimitOneDirectionOnly) {
  auto server = net::UdpSocket::open(net::Address::loopback_v4(0));
  auto client = net::UdpSocket::open(net::Address::loopback_v4(0));
  ASSERT_TRUE(server && client);
  sim::LinkConfig up;
  up.rate_bps = 8'000'000;  // 1 kB per ms
  up.queue_bytes = 20'000;
  auto relay = Relay::start(net::Address::loopback_v4(0), server->local_address(), up, {});
  ASSERT_TRUE(relay) << relay.error().to_string();
  const auto to = net::Address::loopback_v4((*relay)->port());
  std::vector<uint8_t> p(1000, 7);
  std::span<const uint8_t> s(p);
  const uint64_t t0 = now_us();
  for (int i = 0; i < 100; ++i)
    ASSERT_TRUE(client->send({&s, 1}, &to));
  net::RecvBatch batch(32);
  size_t got = 0;
  uint64_t last = 0;
  net::Address relay_side;
  while (server->receive(batch, 300).is_ok()) {
    got += batch.size();
    last = now_us();
    relay_side = batch.source(0);
  }
  // 20 kB of queue (+ the packet on the wire, + what left while the burst was
  // still arriving): far fewer than 100, and spread over >= 15 ms.
  EXPECT_GE(got, 18u);
  EXPECT_LE(got, 40u);
  EXPECT_GE(last - t0, (got - 3) * 1000);
  // Down: 50 packets at once all come back.
  for (int i = 0; i < 50; ++i)
    ASSERT_TRUE(server->send({&s, 1}, &relay_side));
  size_t back = 0;
  while (back < 50 && client->receive(batch, 500).is_ok())
    back += batch.size();
  EXPECT_EQ(back, 50u);
}

}  // namespace
}  // namespace pf::tools
