// SPDX-License-Identifier: MIT OR Apache-2.0
// Real sockets on loopback: every combination of GSO and GRO must deliver the
// same datagrams, in order, byte for byte.
#include "net/udp_socket.h"

#include <tuple>
#include <vector>

#include <gtest/gtest.h>

namespace pf::net {
namespace {

std::vector<std::vector<uint8_t>> make_packets(const std::vector<size_t>& sizes) {
  std::vector<std::vector<uint8_t>> out;
  uint32_t n = 0;
  for (size_t s : sizes) {
    std::vector<uint8_t> p(s);
    for (size_t i = 0; i < s; ++i)
      p[i] = static_cast<uint8_t>(n * 13 + i);
    out.push_back(std::move(p));
    ++n;
  }
  return out;
}

std::vector<std::vector<uint8_t>> receive_all(UdpSocket& rx, size_t want, size_t* messages) {
  std::vector<std::vector<uint8_t>> got;
  *messages = 0;
  RecvBatch batch(8);
  while (got.size() < want) {
    const Status st = rx.receive(batch, 2000);
    if (!st.is_ok()) {
      ADD_FAILURE() << st.to_string() << " after " << got.size() << " of " << want;
      break;
    }
    for (auto p : batch.packets())
      got.emplace_back(p.begin(), p.end());
    *messages += batch.messages();
  }
  return got;
}

class UdpSocketTest : public ::testing::TestWithParam<std::tuple<bool, bool>> {};

TEST_P(UdpSocketTest, DeliversBatchesInOrder) {
  const auto [gso, gro] = GetParam();
  UdpOptions o;
  o.gso = gso;
  o.gro = gro;
  auto rx = UdpSocket::open(Address::loopback_v4(0), o);
  auto tx = UdpSocket::open(Address::loopback_v4(0), o);
  ASSERT_TRUE(rx && tx);
  EXPECT_EQ(rx->gro(), gro);  // this kernel offers both
  EXPECT_EQ(tx->gso(), gso);
  ASSERT_TRUE(tx->connect(rx->local_address()).is_ok());
  // Runs of equal sizes (GSO groups), a shorter tail, odd sizes, one byte.
  std::vector<size_t> sizes(300, 1456);
  sizes[100] = 700;
  sizes[101] = 1;
  for (size_t i = 200; i < 230; ++i)
    sizes[i] = 100 + i;
  const auto packets = make_packets(sizes);
  std::vector<std::span<const uint8_t>> spans(packets.begin(), packets.end());
  auto calls = tx->send(spans);
  ASSERT_TRUE(calls) << calls.error().to_string();
  EXPECT_GE(*calls, 1u);
  EXPECT_LE(*calls, gso ? 5u : 10u);
  size_t messages = 0;
  const auto got = receive_all(*rx, packets.size(), &messages);
  ASSERT_EQ(got.size(), packets.size());
  // Only GSO sends and GRO receives together keep super-datagrams whole.
  if (gso && gro)
    EXPECT_LT(messages, packets.size() / 4);
  else
    EXPECT_EQ(messages, packets.size());
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_EQ(got[i], packets[i]) << i;
}

INSTANTIATE_TEST_SUITE_P(GsoGro,
                         UdpSocketTest,
                         ::testing::Combine(::testing::Bool(), ::testing::Bool()));

TEST(UdpSocketSingleTest, UnconnectedSendToAndSourceAddress) {
  auto rx = UdpSocket::open(Address::loopback_v4(0));
  auto tx = UdpSocket::open(Address::loopback_v4(0));
  ASSERT_TRUE(rx && tx);
  const auto to = rx->local_address();
  const std::vector<uint8_t> p = {1, 2, 3};
  std::span<const uint8_t> one(p);
  ASSERT_TRUE(tx->send({&one, 1}, &to));
  RecvBatch batch;
  ASSERT_TRUE(rx->receive(batch, 2000).is_ok());
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(batch.source(0), tx->local_address());
}

TEST(UdpSocketSingleTest, ReceiveTimesOutWhenIdle) {
  auto rx = UdpSocket::open(Address::loopback_v4(0));
  ASSERT_TRUE(rx);
  RecvBatch batch;
  EXPECT_EQ(rx->receive(batch, 10).code(), StatusCode::kTimeout);
  EXPECT_EQ(rx->receive(batch, 0).code(), StatusCode::kTimeout);
}

TEST(UdpSocketSingleTest, TheReceiveBufferCanBeResizedAndSaysWhatItGot) {
  // The kernel reports twice what it keeps room for (its bookkeeping); within
  // net.core.rmem_max (4 MiB on a stock machine is more than asked here) or
  // as root, a larger request gets a larger buffer.
  auto s = UdpSocket::open(Address::loopback_v4(0));
  ASSERT_TRUE(s);
  const int small = s->set_recv_buffer_bytes(128 << 10);
  EXPECT_EQ(small, s->recv_buffer_bytes());
  EXPECT_GE(small, 128 << 10);
  const int large = s->set_recv_buffer_bytes(1 << 20);
  EXPECT_EQ(large, s->recv_buffer_bytes());
  EXPECT_GT(large, small);
}

TEST(UdpSocketSingleTest, BindingATakenPortFailsWithAMessage) {
  auto a = UdpSocket::open(Address::loopback_v4(0));
  ASSERT_TRUE(a);
  auto b = UdpSocket::open(a->local_address());
  ASSERT_FALSE(b);
  EXPECT_NE(b.error().message().find("bind"), std::string::npos);
}

}  // namespace
}  // namespace pf::net
