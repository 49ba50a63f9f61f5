// SPDX-License-Identifier: MIT OR Apache-2.0
// Two clients ping one shared port on 127.0.0.1, each with its own payload:
// each stream learns its own client's endpoint, strangers are counted.
#include "host/gamestream/ping_demux.h"

#include <gtest/gtest.h>

namespace pf::host::gamestream {
namespace {

net::UdpSocket open_loopback() {
  auto s = net::UdpSocket::open(*net::Address::parse("127.0.0.1", 0));
  EXPECT_TRUE(s);
  return std::move(*s);
}

void ping(net::UdpSocket& from, const net::Address& to, const std::string& payload, uint32_t n) {
  std::vector<uint8_t> p(payload.begin(), payload.end());
  for (int i = 3; i >= 0; --i)
    p.push_back(static_cast<uint8_t>(n >> (8 * i)));
  const std::span<const uint8_t> one(p);
  ASSERT_TRUE(from.send(std::span(&one, 1), &to));
}

TEST(PingDemux, EachStreamLearnsItsOwnClient) {
  auto host = open_loopback();
  const net::Address port = host.local_address();
  PingDemux demux(host, "video");
  const std::string pa = "AAAAAAAAAAAAAAAA", pb = "BBBBBBBBBBBBBBBB";
  demux.watch(pa);
  demux.watch(pb);
  auto a = open_loopback(), b = open_loopback(), stranger = open_loopback();
  ping(stranger, port, "CCCCCCCCCCCCCCCC", 1);
  ping(b, port, pb, 1);
  ping(a, port, pa, 1);
  std::atomic<bool> stop{false};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  EXPECT_EQ(demux.wait(pa, deadline, stop), a.local_address());
  EXPECT_EQ(demux.wait(pb, deadline, stop), b.local_address());
  ping(a, port, pa, 2);
  // A client that moves (a NAT rebinding): the newest endpoint wins.
  auto a2 = open_loopback();
  ping(a2, port, pa, 3);
  while (demux.pings(pa) < 3 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(demux.pings(pa), 3u);
  EXPECT_EQ(demux.pings(pb), 1u);
  EXPECT_EQ(demux.endpoint(pa), a2.local_address());
  EXPECT_EQ(demux.endpoint(pb), b.local_address());
  EXPECT_EQ(demux.unmatched(), 1u);
  // Short datagrams (a legacy "PING") match nothing.
  const uint8_t legacy[4] = {'P', 'I', 'N', 'G'};
  const std::span<const uint8_t> one(legacy);
  ASSERT_TRUE(a.send(std::span(&one, 1), &port));
  while (demux.unmatched() < 2 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(demux.unmatched(), 2u);
  demux.forget(pa);
  EXPECT_FALSE(demux.endpoint(pa).valid());
}

TEST(PingDemux, WaitEndsAtTheDeadlineOrWhenStopped) {
  auto host = open_loopback();
  PingDemux demux(host, "audio");
  demux.watch("AAAAAAAAAAAAAAAA");
  std::atomic<bool> stop{false};
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(demux.wait("AAAAAAAAAAAAAAAA", t0 + std::chrono::milliseconds(150), stop).valid());
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(150));
  stop = true;
  const auto t1 = std::chrono::steady_clock::now();
  EXPECT_FALSE(
      demux.wait("AAAAAAAAAAAAAAAA", std::chrono::steady_clock::time_point::max(), stop).valid());
  EXPECT_LT(std::chrono::steady_clock::now() - t1, std::chrono::seconds(2));
}

}  // namespace
}  // namespace pf::host::gamestream
