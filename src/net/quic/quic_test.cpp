// SPDX-License-Identifier: MIT OR Apache-2.0
// Real QUIC (ngtcp2 + GnuTLS) between two endpoints on loopback.
#include "net/quic/quic.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "base/testing/wait.h"
#include "crypto/pki.h"

namespace pf::net {
namespace {

using namespace std::chrono_literals;

QuicIdentity make_identity(const char* cn) {
  auto id = crypto::make_self_signed_p256(cn);
  EXPECT_TRUE(id);
  return QuicIdentity{id->cert_pem, id->key_pem};
}

// Everything one endpoint observed, guarded for the test thread.
struct Observer {
  std::mutex mu;
  std::condition_variable cv;
  std::shared_ptr<QuicConnection> conn;
  std::vector<uint8_t> stream;
  std::vector<std::vector<uint8_t>> datagrams;
  std::optional<QuicCloseInfo> closed;
  int connected = 0, closed_count = 0;

  QuicCallbacks callbacks() {
    QuicCallbacks cb;
    cb.on_connected = [this](const std::shared_ptr<QuicConnection>& c) {
      std::lock_guard l(mu);
      conn = c;
      ++connected;
      cv.notify_all();
    };
    cb.on_stream_data = [this](QuicConnection&, std::span<const uint8_t> b) {
      std::lock_guard l(mu);
      stream.insert(stream.end(), b.begin(), b.end());
      cv.notify_all();
    };
    cb.on_datagram = [this](QuicConnection&, std::span<const uint8_t> b) {
      std::lock_guard l(mu);
      datagrams.emplace_back(b.begin(), b.end());
      cv.notify_all();
    };
    cb.on_closed = [this](QuicConnection&, const QuicCloseInfo& i) {
      std::lock_guard l(mu);
      closed = i;
      ++closed_count;
      cv.notify_all();
    };
    return cb;
  }
  template <typename Pred>
  bool wait(Pred pred, std::chrono::milliseconds timeout = 5000ms) {
    std::unique_lock l(mu);
    return cv.wait_for(l, timeout, [&] { return pred(); });
  }
};

struct Pair {
  QuicIdentity host_id = make_identity("host"), client_id = make_identity("client");
  Observer server, client;
  std::unique_ptr<QuicEndpoint> server_ep, client_ep;

  void start(QuicOptions opts = {}) {
    auto s = QuicEndpoint::listen(Address::loopback_v4(0), host_id, server.callbacks(), opts);
    ASSERT_TRUE(s) << s.error().to_string();
    server_ep = std::move(*s);
    auto c = QuicEndpoint::connect(Address::loopback_v4(server_ep->local_address().port()),
                                   client_id, client.callbacks(), opts);
    ASSERT_TRUE(c) << c.error().to_string();
    client_ep = std::move(*c);
    ASSERT_TRUE(client.wait([&] { return client.connected == 1; }));
    ASSERT_TRUE(server.wait([&] { return server.connected == 1; }));
  }
};

TEST(QuicTest, HandshakePinsFingerprintsAndExportsEqualKeys) {
  Pair p;
  ASSERT_NO_FATAL_FAILURE(p.start());
  EXPECT_EQ(p.client.conn->peer_fingerprint(), *certificate_fingerprint(p.host_id.cert_pem));
  EXPECT_EQ(p.server.conn->peer_fingerprint(), *certificate_fingerprint(p.client_id.cert_pem));
  EXPECT_TRUE(p.server.conn->is_server());
  EXPECT_FALSE(p.client.conn->is_server());
  const uint8_t ctx[4] = {1, 0, 0, 0}, other_ctx[4] = {2, 0, 0, 0};
  auto a = p.client.conn->export_keying_material("EXPORTER-punktfunk-video", ctx, 44);
  auto b = p.server.conn->export_keying_material("EXPORTER-punktfunk-video", ctx, 44);
  auto c = p.server.conn->export_keying_material("EXPORTER-punktfunk-video", other_ctx, 44);
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->size(), 44u);
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*a, *c);
  EXPECT_EQ(fingerprint_hex(p.client.conn->peer_fingerprint()).size(), 64u);
}

TEST(QuicTest, StreamBytesArriveInOrderBothWaysIncludingMegabytes) {
  Pair p;
  ASSERT_NO_FATAL_FAILURE(p.start());
  // Far more than one flow-control window, in uneven pieces.
  std::vector<uint8_t> big(3 * 1024 * 1024 + 17);
  for (size_t i = 0; i < big.size(); ++i)
    big[i] = static_cast<uint8_t>(i * 131 + (i >> 11));
  size_t at = 0, piece = 1;
  while (at < big.size()) {
    const size_t n = std::min(piece, big.size() - at);
    while (!p.client.conn->send_stream(std::span(big).subspan(at, n)))
      std::this_thread::sleep_for(1ms);  // queue limit: wait for acknowledgements
    at += n;
    piece = piece * 3 % 70001 + 1;
  }
  ASSERT_TRUE(p.server.wait([&] { return p.server.stream.size() >= big.size(); }, 20s))
      << p.server.stream.size();
  EXPECT_EQ(p.server.stream, big);
  const uint8_t reply[] = {'o', 'k'};
  ASSERT_TRUE(p.server.conn->send_stream(reply));
  ASSERT_TRUE(p.client.wait([&] { return p.client.stream.size() == 2; }));
  EXPECT_EQ(p.client.stream, std::vector<uint8_t>({'o', 'k'}));
}

TEST(QuicTest, DatagramsBothWays) {
  Pair p;
  ASSERT_NO_FATAL_FAILURE(p.start());
  for (uint8_t i = 0; i < 100; ++i) {
    std::vector<uint8_t> d(18, i);
    d[0] = 0xC8;
    ASSERT_TRUE(p.client.conn->send_datagram(d));
  }
  const std::vector<uint8_t> audio(300, 0xC9);
  ASSERT_TRUE(p.server.conn->send_datagram(audio));
  // Loopback drops nothing in practice; datagrams are unreliable, so allow a little.
  ASSERT_TRUE(p.server.wait([&] { return p.server.datagrams.size() >= 95; }));
  ASSERT_TRUE(p.client.wait([&] { return p.client.datagrams.size() == 1; }));
  EXPECT_EQ(p.client.datagrams[0], audio);
  std::lock_guard l(p.server.mu);
  for (auto& d : p.server.datagrams) {
    ASSERT_EQ(d.size(), 18u);
    EXPECT_EQ(d[0], 0xC8);
  }
  // One larger than any path allows is refused up front or dropped and counted.
  const std::vector<uint8_t> huge(4000, 1);
  p.client.conn->send_datagram(huge);
  ASSERT_TRUE(
      testing::eventually([&] { return p.client.conn->stats().datagrams_dropped_too_big == 1; }));
  EXPECT_GE(p.client.conn->stats().datagrams_sent, 100u);
}

TEST(QuicTest, ApplicationCloseReachesThePeerWithCodeAndReason) {
  Pair p;
  ASSERT_NO_FATAL_FAILURE(p.start());
  p.server.conn->close(2, "kicked by the host");
  ASSERT_TRUE(p.client.wait([&] { return p.client.closed.has_value(); }));
  EXPECT_TRUE(p.client.closed->by_peer);
  EXPECT_TRUE(p.client.closed->application);
  EXPECT_EQ(p.client.closed->app_error, 2u);
  EXPECT_EQ(p.client.closed->reason, "kicked by the host");
  ASSERT_TRUE(p.server.wait([&] { return p.server.closed.has_value(); }));
  EXPECT_FALSE(p.server.closed->by_peer);
  EXPECT_TRUE(p.server.conn->closed());
  EXPECT_FALSE(p.server.conn->send_stream(std::vector<uint8_t>{1}));
  ASSERT_TRUE(testing::eventually([&] { return p.server_ep->connection_count() == 0; }));
}

TEST(QuicTest, EndpointShutdownClosesClientsWithTheGivenCode) {
  Pair p;
  ASSERT_NO_FATAL_FAILURE(p.start());
  p.server_ep->shutdown(1, "host shutdown");
  ASSERT_TRUE(p.client.wait([&] { return p.client.closed.has_value(); }));
  EXPECT_EQ(p.client.closed->app_error, 1u);
  EXPECT_EQ(p.server.closed_count, 1);
}

TEST(QuicTest, NoServerMeansAHandshakeTimeoutNotAHang) {
  // A port nobody listens on.
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  Address a = Address::loopback_v4(0);
  ASSERT_EQ(::bind(fd, a.sockaddr_ptr(), a.length()), 0);
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  const Address dead = Address::from_sockaddr(reinterpret_cast<sockaddr*>(&ss), len);
  Observer o;
  QuicOptions opts;
  opts.handshake_timeout_ms = 300;
  auto c = QuicEndpoint::connect(dead, make_identity("c"), o.callbacks(), opts);
  ASSERT_TRUE(c);
  ASSERT_TRUE(o.wait([&] { return o.closed.has_value(); }, 5s));
  EXPECT_EQ(o.connected, 0);
  ::close(fd);
}

TEST(QuicTest, WrongAlpnFailsTheHandshake) {
  Observer server, client;
  auto s = QuicEndpoint::listen(Address::loopback_v4(0), make_identity("h"), server.callbacks());
  ASSERT_TRUE(s);
  QuicOptions other;
  other.alpn = "h3";
  auto c = QuicEndpoint::connect(Address::loopback_v4((*s)->local_address().port()),
                                 make_identity("c"), client.callbacks(), other);
  ASSERT_TRUE(c);
  ASSERT_TRUE(client.wait([&] { return client.closed.has_value(); }));
  EXPECT_EQ(client.connected, 0);
  EXPECT_EQ(server.connected, 0);
}

TEST(QuicTest, GarbageDatagramsAreIgnored) {
  Pair p;
  QuicOptions opts;
  auto s = QuicEndpoint::listen(Address::loopback_v4(0), p.host_id, p.server.callbacks(), opts);
  ASSERT_TRUE(s);
  const Address to = Address::loopback_v4((*s)->local_address().port());
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  std::vector<uint8_t> junk(1200);
  for (int i = 0; i < 500; ++i) {
    for (size_t j = 0; j < junk.size(); ++j)
      junk[j] = static_cast<uint8_t>(j * 7 + i);
    junk[0] = static_cast<uint8_t>(i);  // long and short header forms
    ::sendto(fd, junk.data(), static_cast<size_t>(1 + i * 2), 0, to.sockaddr_ptr(), to.length());
  }
  ::close(fd);
  auto c = QuicEndpoint::connect(to, p.client_id, p.client.callbacks(), opts);
  ASSERT_TRUE(c);
  EXPECT_TRUE(p.client.wait([&] { return p.client.connected == 1; }));
  EXPECT_LE((*s)->connection_count(), 1u);
}

TEST(QuicTest, FiftyConnectDisconnectCyclesLeakNoDescriptors) {
  Observer server;
  auto s = QuicEndpoint::listen(Address::loopback_v4(0), make_identity("h"), server.callbacks());
  ASSERT_TRUE(s);
  const Address to = Address::loopback_v4((*s)->local_address().port());
  const QuicIdentity id = make_identity("c");
  int before = 0;
  for (int i = 0; i < 50; ++i) {
    Observer o;
    auto c = QuicEndpoint::connect(to, id, o.callbacks());
    ASSERT_TRUE(c);
    ASSERT_TRUE(o.wait([&] { return o.connected == 1; })) << i;
    (*c)->shutdown(0, "bye");
    c->reset();
    if (i == 4)
      before = testing::open_fd_count();
  }
  ASSERT_TRUE(server.wait([&] { return server.closed_count == 50; })) << server.closed_count;
  // on_closed fires just before the endpoint forgets the connection: poll.
  EXPECT_TRUE(testing::eventually([&] { return (*s)->connection_count() == 0; }));
  EXPECT_EQ(testing::open_fd_count(), before);
}

}  // namespace
}  // namespace pf::net
