// SPDX-License-Identifier: MIT OR Apache-2.0
// A real cpp-httplib server on loopback, attacked from other loopback
// addresses (127.0.0.2 and up) with idle and half-sent connections, while a
// good client asks from 127.0.0.1. The same attack against the server without
// the gate is run first: it must delay the good client (or the test proves
// nothing).
#include "host/net/connection_gate.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace pf::host {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// A TCP connection from `from` (a loopback address) to 127.0.0.1:port that
// sends `bytes` and then nothing.
int connect_from(const char* from, int port, const std::string& bytes) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in src{};
  src.sin_family = AF_INET;
  ::inet_pton(AF_INET, from, &src.sin_addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0) {
    ::close(fd);
    return -1;
  }
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  dst.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst) != 0) {
    ::close(fd);
    return -1;
  }
  if (!bytes.empty())
    (void)!::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  return fd;
}

struct TestServer {
  httplib::Server srv;
  std::thread thread;
  int port = 0;
  ConnectionGate* gate = nullptr;  // owned by httplib's listen loop

  explicit TestServer(const GateLimits* limits) {
    srv.Get("/ping", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("pong", "text/plain");
    });
    srv.Get("/slow", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(milliseconds(1500));
      res.set_content("late", "text/plain");
    });
    srv.set_keep_alive_timeout(1);
    srv.set_read_timeout(5, 0);
    if (limits)
      srv.new_task_queue = [this, l = *limits] {
        gate = new ConnectionGate(l, "test");
        return gate;
      };
    port = srv.bind_to_any_port("127.0.0.1");
    if (limits)
      raise_listen_backlog(static_cast<uint16_t>(port));
    thread = std::thread([this] { srv.listen_after_bind(); });
    while (!srv.is_running())
      std::this_thread::sleep_for(milliseconds(1));
  }
  ~TestServer() {
    srv.stop();
    thread.join();
  }
};

// The good client's /ping: how long it took, or -1 ms when it got no answer.
milliseconds good_ping(int port, int timeout_s) {
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(timeout_s, 0);
  c.set_read_timeout(timeout_s, 0);
  const auto t0 = Clock::now();
  auto r = c.Get("/ping");
  if (!r || r->status != 200 || r->body != "pong")
    return milliseconds(-1);
  return std::chrono::duration_cast<milliseconds>(Clock::now() - t0);
}

// The good client is answered, within 1 s (the time is printed).
void expect_answered_at_once(int port, const char* under) {
  const milliseconds took = good_ping(port, 5);
  std::printf("%s: the good client waited %lld ms\n", under, static_cast<long long>(took.count()));
  ASSERT_GE(took.count(), 0) << "no answer";
  EXPECT_LT(took, milliseconds(1000));
}

// `idle` connections that send nothing and `slow` that send half a request
// head, from 127.0.0.2.. (`addresses` of them, round robin).
std::vector<int> attack(int port, int idle, int slow, int addresses) {
  std::vector<int> fds;
  for (int i = 0; i < idle + slow; ++i) {
    const std::string from = "127.0.0." + std::to_string(2 + i % addresses);
    const int fd = connect_from(from.c_str(), port, i < idle ? "" : "GET /ping HTTP/1.1\r\nHo");
    if (fd >= 0)
      fds.push_back(fd);
  }
  return fds;
}

void close_all(std::vector<int>& fds) {
  for (int fd : fds)
    ::close(fd);
  fds.clear();
}

TEST(ConnectionGateTest, WithoutItIdleConnectionsStarveTheServer) {
  // The control: cpp-httplib's own pool (8 threads here) and 50 idle peers.
  TestServer plain(nullptr);
  auto fds = attack(plain.port, 40, 10, 1);
  std::this_thread::sleep_for(milliseconds(200));
  const milliseconds took = good_ping(plain.port, 2);
  close_all(fds);
  std::printf("without the gate: the good client waited %lld ms (-1: no answer in 2 s)\n",
              static_cast<long long>(took.count()));
  EXPECT_TRUE(took.count() < 0 || took > milliseconds(1000)) << took.count();
}

TEST(ConnectionGateTest, IdleAndSlowConnectionsFromOneAddressDoNotStarveAGoodClient) {
  GateLimits limits;
  limits.workers = 4;
  limits.head_deadline = milliseconds(3000);
  TestServer gated(&limits);
  auto fds = attack(gated.port, 150, 50, 1);
  std::this_thread::sleep_for(milliseconds(200));
  ASSERT_NO_FATAL_FAILURE(expect_answered_at_once(gated.port, "200 connections from one address"));
  const GateStats s = gated.gate->stats();
  EXPECT_EQ(s.refused_address, 200u - limits.per_address) << "one address holds at most 16";
  EXPECT_LE(s.waiting, limits.per_address);
  // The held ones end at the deadline, without a worker ever serving them.
  std::this_thread::sleep_for(limits.head_deadline + milliseconds(500));
  const GateStats after = gated.gate->stats();
  EXPECT_EQ(after.waiting, 0u);
  EXPECT_EQ(after.timed_out, limits.per_address);
  EXPECT_EQ(after.served, 1u) << "only the good client reached a worker";
  close_all(fds);
}

TEST(ConnectionGateTest, ManyAddressesAreBoundedByTheTotalOldestFirst) {
  GateLimits limits;
  limits.workers = 4;
  limits.total = 64;
  TestServer gated(&limits);
  auto fds = attack(gated.port, 300, 100, 40);  // 10 per address, 400 in all
  std::this_thread::sleep_for(milliseconds(200));
  ASSERT_NO_FATAL_FAILURE(expect_answered_at_once(gated.port, "400 connections from 40 addresses"));
  const GateStats s = gated.gate->stats();
  EXPECT_LE(s.waiting, limits.total);
  EXPECT_GE(s.evicted, 400u - limits.total);
  close_all(fds);
}

TEST(ConnectionGateTest, OneAddressTakesAtMostItsShareOfTheWorkers) {
  GateLimits limits;
  limits.workers = 4;
  limits.busy_per_address = 2;
  TestServer gated(&limits);
  // 127.0.0.2 asks for /slow on four connections at once: two are served, two
  // wait; the good client at 127.0.0.1 still has a worker.
  std::vector<int> fds;
  for (int i = 0; i < 4; ++i)
    fds.push_back(connect_from("127.0.0.2", gated.port, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::this_thread::sleep_for(milliseconds(200));
  const GateStats busy = gated.gate->stats();
  EXPECT_EQ(busy.busy, 2u);
  EXPECT_EQ(busy.ready, 2u);
  ASSERT_NO_FATAL_FAILURE(expect_answered_at_once(gated.port, "two workers busy for 127.0.0.2"));
  // All four are answered in the end.
  for (int fd : fds) {
    char buf[256];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    ASSERT_GT(n, 0);
    EXPECT_NE(std::string(buf, static_cast<size_t>(n)).find("200"), std::string::npos);
  }
  close_all(fds);
}

TEST(ConnectionGateTest, AnOversizedHeadIsClosedUnread) {
  GateLimits limits;
  limits.workers = 2;
  limits.max_head_bytes = 1024;
  TestServer gated(&limits);
  const int fd = connect_from("127.0.0.2", gated.port,
                              "GET /ping HTTP/1.1\r\nX-Long: " + std::string(2000, 'a'));
  char c;
  EXPECT_LE(::recv(fd, &c, 1, 0), 0) << "closed without an answer";
  ::close(fd);
  EXPECT_EQ(gated.gate->stats().oversized, 1u);
  EXPECT_EQ(gated.gate->stats().served, 0u);
}

}  // namespace
}  // namespace pf::host
