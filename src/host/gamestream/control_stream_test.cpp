// SPDX-License-Identifier: MIT OR Apache-2.0
// The control stream against an ENet client on 127.0.0.1 (Debian's ENet on
// both sides; the wire protocol is the one Moonlight's ENet variant speaks):
// connect-data matching, encrypted messages both ways, IDR requests, input,
// termination, refusal of unknown peers and forged messages.
#include "host/gamestream/control_stream.h"

#include <arpa/inet.h>
#include <enet/enet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

#include <gtest/gtest.h>

#include "proto/gamestream/enet_connect.h"

namespace pf::host::gamestream {
namespace {

using proto::gamestream::ControlCipher;
using proto::gamestream::ControlMessage;

std::array<uint8_t, 16> key() {
  std::array<uint8_t, 16> k;
  for (int i = 0; i < 16; ++i)
    k[i] = static_cast<uint8_t>(0x33 + i);
  return k;
}

struct Client {
  ENetHost* host = nullptr;
  ENetPeer* peer = nullptr;
  ControlCipher cipher{key()};
  uint32_t seq = 0;
  Client() { host = enet_host_create(nullptr, 1, 48, 0, 0); }
  ~Client() { enet_host_destroy(host); }

  // Waits for one event of `type` (or times out).
  bool wait(ENetEventType type, ENetEvent* out = nullptr, int ms = 3000) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    ENetEvent ev;
    while (std::chrono::steady_clock::now() < end) {
      if (enet_host_service(host, &ev, 10) > 0) {
        if (ev.type == type) {
          if (out)
            *out = ev;
          else if (ev.type == ENET_EVENT_TYPE_RECEIVE)
            enet_packet_destroy(ev.packet);
          return true;
        }
        if (ev.type == ENET_EVENT_TYPE_RECEIVE)
          enet_packet_destroy(ev.packet);
      }
    }
    return false;
  }
  bool connect(uint16_t port, uint32_t data) {
    ENetAddress a{};
    enet_address_set_host_ip(&a, "127.0.0.1");
    a.port = port;
    peer = enet_host_connect(host, &a, 48, data);
    const bool ok = wait(ENET_EVENT_TYPE_CONNECT);
    enet_host_flush(host);  // the acknowledgement that completes the host's side
    return ok;
  }
  void send(uint16_t type, std::vector<uint8_t> payload, uint8_t channel = 0) {
    // The client's direction: seal with from_host = false.
    const auto bytes = cipher.seal(ControlMessage{type, std::move(payload)}, false);
    enet_peer_send(peer, channel,
                   enet_packet_create(bytes.data(), bytes.size(), ENET_PACKET_FLAG_RELIABLE));
    enet_host_flush(host);
  }
};

template <typename Pred>
bool eventually(Pred p, int ms = 3000) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (std::chrono::steady_clock::now() < end) {
    if (p())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

TEST(ControlStreamTest, SessionMessagesBothWaysAndTermination) {
  auto server = ControlStream::start("127.0.0.1", 0);
  ASSERT_TRUE(server) << server.error().to_string();
  std::atomic<int> idr{0}, connected{0};
  std::atomic<size_t> input_bytes{0};
  std::atomic<bool> ended{false};
  ControlEvents ev;
  ev.on_connected = [&] { ++connected; };
  ev.on_idr_request = [&] { ++idr; };
  std::atomic<uint32_t> rfi_first{0}, rfi_last{0};
  std::atomic<int> rfis{0};
  ev.on_rfi = [&](const proto::gamestream::InvalidateRefs& r) {
    rfi_first = r.first;
    rfi_last = r.last;
    ++rfis;
  };
  ev.on_input = [&](std::span<const uint8_t> p) { input_bytes += p.size(); };
  ev.on_ended = [&](const std::string&) { ended = true; };
  (*server)->expect(123456789, key(), ev);

  Client c;
  ASSERT_TRUE(c.connect((*server)->port(), 123456789));
  ASSERT_TRUE(eventually([&] { return connected == 1; }));
  c.send(0x0302, {0, 0});                                   // START_A: send an IDR
  c.send(0x0307, {0});                                      // START_B
  c.send(0x0200, {4, 0, 0, 0, 0, 0, 0, 0});                 // ping
  c.send(0x0206, {0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8}, 2);  // input, keyboard channel
  std::vector<uint8_t> rfi(24, 0);                          // LE32 first, LE32 0, LE32 last, 12 x 0
  rfi[0] = 100;
  rfi[8] = 102;
  c.send(0x0301, rfi, 1);                         // RFI: frames 100..102 lost
  c.send(0x0301, std::vector<uint8_t>(5, 0), 1);  // a malformed RFI -> IDR
  ASSERT_TRUE(eventually([&] { return idr == 2 && rfis == 1 && input_bytes == 12; }));
  EXPECT_EQ(rfi_first, 100u);
  EXPECT_EQ(rfi_last, 102u);
  EXPECT_EQ((*server)->stats().messages, 6u);

  (*server)->send(123456789, proto::gamestream::make_rumble(0, 1000, 2000));
  ENetEvent e;
  ASSERT_TRUE(c.wait(ENET_EVENT_TYPE_RECEIVE, &e));
  auto rumble = c.cipher.open(std::span<const uint8_t>(e.packet->data, e.packet->dataLength), true);
  enet_packet_destroy(e.packet);
  ASSERT_TRUE(rumble);
  EXPECT_EQ(rumble->type, 0x010b);

  (*server)->terminate(123456789);
  ASSERT_TRUE(c.wait(ENET_EVENT_TYPE_RECEIVE, &e));
  auto term = c.cipher.open(std::span<const uint8_t>(e.packet->data, e.packet->dataLength), true);
  enet_packet_destroy(e.packet);
  ASSERT_TRUE(term);
  EXPECT_EQ(term->type, 0x0109);
  EXPECT_EQ(term->payload, (std::vector<uint8_t>{0x80, 0x03, 0x00, 0x23}));
  EXPECT_TRUE(c.wait(ENET_EVENT_TYPE_DISCONNECT));
  EXPECT_TRUE(eventually([&] { return ended.load(); }));
  EXPECT_FALSE((*server)->connected(123456789));
  EXPECT_EQ((*server)->sessions(), 0u);
}

// A CONNECT with connect data no session expects never reaches ENet (it would hold a peer slot
// until the handshake timed out): dropped and counted, the stranger hears nothing.
TEST(ControlStreamTest, UnknownConnectDataIsDroppedBeforeENet) {
  auto server = ControlStream::start("127.0.0.1", 0);
  ASSERT_TRUE(server);
  (*server)->expect(1, key(), {});
  Client c;
  ENetAddress a{};
  enet_address_set_host_ip(&a, "127.0.0.1");
  a.port = (*server)->port();
  c.peer = enet_host_connect(c.host, &a, 48, 2);
  EXPECT_FALSE(c.wait(ENET_EVENT_TYPE_CONNECT, nullptr, 700));
  EXPECT_GE((*server)->stats().refused_connects, 1u);
  EXPECT_EQ((*server)->stats().refused_peers, 0u);
  // The session's own client still gets in.
  Client real;
  EXPECT_TRUE(real.connect((*server)->port(), 1));
}

// What libenet sends for enet_host_connect(..., data), caught on a plain UDP socket.
std::vector<uint8_t> real_connect_datagram(uint32_t data) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof sa;
  ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  Client c;
  ENetAddress a{};
  enet_address_set_host_ip(&a, "127.0.0.1");
  a.port = ntohs(sa.sin_port);
  c.peer = enet_host_connect(c.host, &a, 48, data);
  enet_host_flush(c.host);
  std::vector<uint8_t> buf(1500);
  timeval tv{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  const ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
  ::close(fd);
  buf.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return buf;
}

TEST(ControlStreamTest, ARealENetConnectIsReadAsSuch) {
  const auto d = real_connect_datagram(0xC0FFEE42);
  ASSERT_FALSE(d.empty());
  const auto r = proto::gamestream::classify_enet_datagram(d);
  EXPECT_EQ(r.kind, proto::gamestream::EnetDatagram::Kind::kConnect);
  EXPECT_EQ(r.connect_data, 0xC0FFEE42u);
}

// Libenet's own CONNECT from `sockets` source ports, `each` times each, with connect data no
// session expects: unguarded, every source port takes one of the host's peer slots.
void connect_flood(uint16_t port, int sockets, int each) {
  auto d = real_connect_datagram(0);
  ASSERT_FALSE(d.empty());
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  to.sin_port = htons(port);
  for (int i = 0; i < sockets; ++i) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    for (int k = 0; k < each; ++k) {
      const uint32_t data = 0x70000000u + static_cast<uint32_t>(i * each + k);
      for (int b = 0; b < 4; ++b)
        d[d.size() - 4 + b] = static_cast<uint8_t>(data >> (24 - 8 * b));
      ::sendto(fd, d.data(), d.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
    }
    ::close(fd);
    // (paced: a burst of 1000 would mostly overflow the receiver's socket buffer)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

TEST(ControlStreamTest, AConnectFloodLeavesRoomForTheRealClient) {
  auto server = ControlStream::start("127.0.0.1", 0);
  ASSERT_TRUE(server);
  (*server)->expect(42, key(), {});
  connect_flood((*server)->port(), 200, 5);
  Client c;
  EXPECT_TRUE(c.connect((*server)->port(), 42));
  // Far more than the host's peer slots reached the gate (the socket buffer may drop some).
  EXPECT_TRUE(eventually([&] { return (*server)->stats().refused_connects >= 500; }))
      << (*server)->stats().refused_connects;
}

// The control run: the same flood against a plain ENet host with as many peers leaves a real
// client without a slot (so the test above would catch a gate that lets the flood through).
TEST(ControlStreamTest, TheSameFloodStarvesAnUngatedENetHost) {
  ENetAddress a{};
  enet_address_set_host_ip(&a, "127.0.0.1");
  a.port = 0;
  ENetHost* plain = enet_host_create(&a, ControlStream::kMaxSessions + 8, 0, 0, 0);
  ASSERT_NE(plain, nullptr);
  ENetAddress bound{};
  enet_socket_get_address(plain->socket, &bound);
  std::atomic<bool> stop{false};
  std::thread serve([&] {
    ENetEvent ev;
    while (!stop)
      if (enet_host_service(plain, &ev, 5) > 0 && ev.type == ENET_EVENT_TYPE_RECEIVE)
        enet_packet_destroy(ev.packet);
  });
  connect_flood(bound.port, 200, 5);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  Client c;
  EXPECT_FALSE(c.connect(bound.port, 42));
  stop = true;
  serve.join();
  enet_host_destroy(plain);
}

TEST(ControlStreamTest, AForgedMessageEndsTheSession) {
  auto server = ControlStream::start("127.0.0.1", 0);
  ASSERT_TRUE(server);
  std::atomic<bool> ended{false};
  ControlEvents ev;
  ev.on_ended = [&](const std::string&) { ended = true; };
  (*server)->expect(77, key(), ev);
  Client c;
  ASSERT_TRUE(c.connect((*server)->port(), 77));
  std::array<uint8_t, 16> wrong = key();
  wrong[0] ^= 1;
  ControlCipher forger(wrong);
  const auto bytes = forger.seal(ControlMessage{0x0302, {0, 0}}, false);
  enet_peer_send(c.peer, 0,
                 enet_packet_create(bytes.data(), bytes.size(), ENET_PACKET_FLAG_RELIABLE));
  enet_host_flush(c.host);
  EXPECT_TRUE(eventually([&] { return ended.load(); }));
  EXPECT_EQ((*server)->stats().auth_failures, 1u);
}

// Reads the next message the host sends `c` within `ms`, if any.
std::optional<ControlMessage> next_message(Client& c, int ms) {
  ENetEvent e;
  if (!c.wait(ENET_EVENT_TYPE_RECEIVE, &e, ms))
    return std::nullopt;
  auto m = c.cipher.open(std::span<const uint8_t>(e.packet->data, e.packet->dataLength), true);
  enet_packet_destroy(e.packet);
  if (!m)
    return std::nullopt;
  return *m;
}

// F3 of the stock-Moonlight issue: the old session is ended after its
// client left and while the resuming client connects; the termination is
// the old session's and must never reach the new client.
TEST(ControlStreamTest, AnOldSessionsTerminationNeverReachesTheNextClient) {
  auto server = ControlStream::start("127.0.0.1", 0);
  ASSERT_TRUE(server);
  std::atomic<int> ended_a{0}, ended_b{0};
  ControlEvents a, b;
  a.on_ended = [&](const std::string&) { ++ended_a; };
  b.on_ended = [&](const std::string&) { ++ended_b; };
  (*server)->expect(1001, key(), a);
  {
    Client first;
    ASSERT_TRUE(first.connect((*server)->port(), 1001));
    enet_peer_disconnect(first.peer, 0);
    ASSERT_TRUE(first.wait(ENET_EVENT_TYPE_DISCONNECT));
  }
  ASSERT_TRUE(eventually([&] { return ended_a == 1; }));
  (*server)->expect(1002, key(), b);
  (*server)->terminate(1001, 0x80030023);  // the old session, ended late
  Client second;
  ASSERT_TRUE(second.connect((*server)->port(), 1002));
  // Sends go to a connected client only: wait until the host has seen it.
  ASSERT_TRUE(eventually([&] { return (*server)->connected(1002); }));
  (*server)->send(1002, proto::gamestream::make_rumble(0, 1, 2));
  auto m = next_message(second, 2000);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->type, 0x010b) << "the first message must be the new session's own";
  EXPECT_FALSE(next_message(second, 300)) << "nothing else, in particular no termination";
  EXPECT_TRUE((*server)->connected(1002));
  EXPECT_EQ(ended_b, 0);
}

// Two sessions at once: messages and endings go to their own peer only.
TEST(ControlStreamTest, TwoSessionsAtOnceAreIndependent) {
  auto server = ControlStream::start("127.0.0.1", 0);
  ASSERT_TRUE(server);
  std::atomic<int> idr_a{0}, idr_b{0}, ended_b{0};
  ControlEvents a, b;
  a.on_idr_request = [&] { ++idr_a; };
  b.on_idr_request = [&] { ++idr_b; };
  b.on_ended = [&](const std::string&) { ++ended_b; };
  (*server)->expect(7, key(), a);
  (*server)->expect(8, key(), b);
  Client ca, cb;
  ASSERT_TRUE(ca.connect((*server)->port(), 7));
  ASSERT_TRUE(cb.connect((*server)->port(), 8));
  ASSERT_TRUE(eventually([&] { return (*server)->connected(7) && (*server)->connected(8); }));
  ca.send(0x0302, {0, 0});
  ASSERT_TRUE(eventually([&] { return idr_a == 1; }));
  EXPECT_EQ(idr_b, 0);
  // The same connect data again while connected: dropped before ENet, the first keeps it.
  Client intruder;
  ENetAddress addr{};
  enet_address_set_host_ip(&addr, "127.0.0.1");
  addr.port = (*server)->port();
  intruder.peer = enet_host_connect(intruder.host, &addr, 48, 7);
  EXPECT_FALSE(intruder.wait(ENET_EVENT_TYPE_CONNECT, nullptr, 700));
  EXPECT_GE((*server)->stats().refused_connects, 1u);
  (*server)->terminate(7);
  auto t = next_message(ca, 2000);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->type, 0x0109);
  EXPECT_TRUE(ca.wait(ENET_EVENT_TYPE_DISCONNECT));
  EXPECT_FALSE(next_message(cb, 300));
  EXPECT_TRUE((*server)->connected(8));
  cb.send(0x0302, {0, 0});
  EXPECT_TRUE(eventually([&] { return idr_b == 1; }));
  EXPECT_EQ(ended_b, 0);
  EXPECT_EQ((*server)->sessions(), 1u);
}

}  // namespace
}  // namespace pf::host::gamestream
