// SPDX-License-Identifier: MIT OR Apache-2.0
// Address validation and per-address limits of the QUIC server endpoint, with
// a raw UDP socket playing a flood of spoofed first Initials (what an attacker
// on the network can send without seeing the answers) beside real clients.
#include <gnutls/crypto.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "base/testing/wait.h"
#include "crypto/pki.h"
#include "net/quic/quic.h"

namespace pf::net {
namespace {

using namespace std::chrono_literals;

QuicIdentity make_identity(const char* cn) {
  auto id = crypto::make_self_signed_p256(cn);
  EXPECT_TRUE(id);
  return QuicIdentity{id->cert_pem, id->key_pem};
}

// A first Initial as a client would start one: long header, QUIC v1, random
// 8-byte DCID and SCID, `token` (may be empty), padded to 1200 bytes. Its
// payload is noise (it does not need to decrypt to reach the accept path).
std::vector<uint8_t> initial(const std::vector<uint8_t>& token = {}) {
  std::vector<uint8_t> p = {0xc3, 0, 0, 0, 1, 8};
  uint8_t cid[8];
  gnutls_rnd(GNUTLS_RND_NONCE, cid, 8);
  p.insert(p.end(), cid, cid + 8);
  p.push_back(8);
  gnutls_rnd(GNUTLS_RND_NONCE, cid, 8);
  p.insert(p.end(), cid, cid + 8);
  p.push_back(static_cast<uint8_t>(token.size()));  // a 1-byte varint (< 64)
  p.insert(p.end(), token.begin(), token.end());
  const size_t rest = 1200 - p.size() - 2;
  p.push_back(static_cast<uint8_t>(0x40 | (rest >> 8)));  // 2-byte varint length
  p.push_back(static_cast<uint8_t>(rest & 0xff));
  p.resize(1200);
  gnutls_rnd(GNUTLS_RND_NONCE, p.data() + 1200 - rest, rest);
  return p;
}

struct RawPeer {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ~RawPeer() { ::close(fd); }
  void send_to(uint16_t port, const std::vector<uint8_t>& p) const {
    const Address to = Address::loopback_v4(port);
    ASSERT_EQ(::sendto(fd, p.data(), p.size(), 0, to.sockaddr_ptr(), to.length()),
              static_cast<ssize_t>(p.size()));
  }
  // The next datagram within `ms`, or empty.
  std::vector<uint8_t> receive(int ms) const {
    pollfd pfd{fd, POLLIN, 0};
    if (::poll(&pfd, 1, ms) != 1)
      return {};
    std::vector<uint8_t> b(2048);
    const ssize_t n = ::recv(fd, b.data(), b.size(), 0);
    b.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return b;
  }
};

struct Server {
  QuicIdentity id = make_identity("host");
  std::unique_ptr<QuicEndpoint> ep;
  explicit Server(QuicOptions o = {}) {
    auto s = QuicEndpoint::listen(Address::loopback_v4(0), id, {}, o);
    EXPECT_TRUE(s) << s.error().to_string();
    ep = std::move(*s);
  }
  uint16_t port() const { return ep->local_address().port(); }
};

// A client that connects to `port`; true once its handshake completed.
std::unique_ptr<QuicEndpoint> client_of(uint16_t port,
                                        std::atomic<bool>& connected,
                                        QuicOptions o = {}) {
  QuicCallbacks cb;
  cb.on_connected = [&connected](const std::shared_ptr<QuicConnection>&) { connected = true; };
  auto c =
      QuicEndpoint::connect(Address::loopback_v4(port), make_identity("client"), std::move(cb), o);
  EXPECT_TRUE(c) << c.error().to_string();
  return c ? std::move(*c) : nullptr;
}

TEST(QuicAddressValidationTest, AnInitialWithoutATokenGetsARetryAndNoState) {
  Server s;
  RawPeer peer;
  peer.send_to(s.port(), initial());
  const auto retry = peer.receive(2000);
  ASSERT_FALSE(retry.empty()) << "no answer to a first Initial";
  EXPECT_EQ(retry[0] & 0xf0, 0xf0) << "not a QUIC v1 Retry (long header, type 3)";
  EXPECT_LT(retry.size(), 1200u) << "a Retry must be smaller than what provoked it";
  EXPECT_TRUE(pf::testing::eventually([&] { return s.ep->endpoint_stats().retries_sent == 1; }));
  EXPECT_EQ(s.ep->connection_count(), 0u);
}

TEST(QuicAddressValidationTest, AForgedTokenIsDroppedWithoutAnAnswer) {
  Server s;
  RawPeer peer;
  std::vector<uint8_t> forged(40, 0xb6);  // the Retry token magic, then junk
  peer.send_to(s.port(), initial(forged));
  EXPECT_TRUE(peer.receive(300).empty());
  EXPECT_TRUE(pf::testing::eventually([&] { return s.ep->endpoint_stats().invalid_tokens == 1; }));
  EXPECT_EQ(s.ep->connection_count(), 0u);
}

TEST(QuicAddressValidationTest, ARealClientComesThroughTheRetry) {
  Server s;
  std::atomic<bool> connected{false};
  auto c = client_of(s.port(), connected);
  ASSERT_TRUE(pf::testing::eventually([&] { return connected.load(); }));
  EXPECT_EQ(s.ep->endpoint_stats().retries_sent, 1u);
  EXPECT_EQ(s.ep->connection_count(), 1u);
}

TEST(QuicAddressValidationTest, AFloodOfSpoofedInitialsLeavesRoomForARealClient) {
  QuicOptions o;
  o.max_connections = 8;
  Server s(o);
  RawPeer flood;
  for (int i = 0; i < 5000; ++i)
    flood.send_to(s.port(), initial());
  const auto t0 = std::chrono::steady_clock::now();
  std::atomic<bool> connected{false};
  auto c = client_of(s.port(), connected);
  ASSERT_TRUE(pf::testing::eventually([&] { return connected.load(); }));
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  EXPECT_LT(ms, 1000) << "the real client waited behind the flood";
  EXPECT_EQ(s.ep->connection_count(), 1u) << "a spoofed Initial got a connection";
  EXPECT_EQ(s.ep->endpoint_stats().refused_full, 0u);
}

TEST(QuicAddressValidationTest, OneAddressGetsItsShareAndNoMore) {
  QuicOptions o;
  o.max_connections_per_address = 2;
  o.handshake_timeout_ms = 1000;
  Server s(o);
  std::atomic<bool> a{false}, b{false}, third{false};
  auto ca = client_of(s.port(), a, o), cb = client_of(s.port(), b, o);
  ASSERT_TRUE(pf::testing::eventually([&] { return a.load() && b.load(); }));
  auto cc = client_of(s.port(), third, o);
  EXPECT_TRUE(
      pf::testing::eventually([&] { return s.ep->endpoint_stats().refused_per_address > 0; }));
  std::this_thread::sleep_for(300ms);
  EXPECT_FALSE(third.load());
  EXPECT_EQ(s.ep->connection_count(), 2u);
}

}  // namespace
}  // namespace pf::net
