// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

namespace pf::host {

// Limits of one TCP listener's connections (ConnectionGate).
struct GateLimits {
  size_t workers = 16;          // threads that serve requests
  size_t per_address = 16;      // connections one client address may hold (more are closed)
  size_t busy_per_address = 4;  // of them at once in a worker (the rest wait their turn)
  size_t total = 512;  // connections held at once; past it the longest-waiting one is closed
  std::chrono::milliseconds head_deadline{5000};  // to send a whole request head / ClientHello
  bool tls = false;  // a connection is ready with a whole TLS ClientHello, not an HTTP head
  size_t max_head_bytes = 16384;  // a longer request head is closed unread
};

struct GateStats {
  uint64_t accepted = 0, served = 0;
  uint64_t refused_address = 0;  // over per_address
  uint64_t evicted = 0;          // closed to make room (total)
  uint64_t timed_out = 0;        // no whole head within head_deadline
  uint64_t oversized = 0;        // head larger than max_head_bytes
  uint64_t closed_early = 0;     // the client went away before its head was whole
  size_t waiting = 0, ready = 0, busy = 0;
};

// What stands between cpp-httplib's listener and its request handling, so idle,
// slow or half-open connections cannot starve it. cpp-httplib (0.11, Debian
// 12) serves each connection on a pool thread from accept to close: ten idle
// connections took the host's 8 threads and /serverinfo answered after 3.5 s,
// fifty stopped it. As the server's task queue (httplib::Server::new_task_queue)
// the gate takes each accepted connection first: it waits — on one epoll
// thread, holding no worker — until the connection has sent a whole request
// head (or, for TLS, a whole ClientHello), and only then hands it to a worker.
// One client address holds at most `per_address` connections (more are closed
// at once) and `busy_per_address` workers (its other ready connections wait);
// past `total` connections the one waiting longest is closed; a head not whole
// within `head_deadline` (or larger than `max_head_bytes`) is closed. A
// connection is closed by shutting it down and letting cpp-httplib's own task
// end on it at once, so cpp-httplib still owns and closes every socket.
// The accepted descriptor comes from the process's accept() (cloexec_accept.cpp
// calls note_accepted_fd on the listener's thread, right before cpp-httplib
// enqueues the connection); without it the gate only bounds the workers.
// Thread model: enqueue() and shutdown() from cpp-httplib's listener thread;
// stats() from any thread.
class ConnectionGate : public httplib::TaskQueue {
 public:
  explicit ConnectionGate(GateLimits limits, std::string name);
  ~ConnectionGate() override;

  void enqueue(std::function<void()> fn) override;
  void shutdown() override;

  GateStats stats() const;

 private:
  struct Conn {
    int fd = -1;
    std::string address;
    std::function<void()> task;
    std::chrono::steady_clock::time_point since;
  };

  void gate_loop();
  void close_later(std::vector<Conn> conns);  // on the gate thread, not the listener's
  void worker_loop();
  void on_readable(uint64_t id);
  void close_conn(Conn c);  // shuts it down and lets its task end on it
  bool head_complete(int fd, bool* too_big, bool* gone);  // gate thread
  void expire(std::chrono::steady_clock::time_point now);
  void release(const std::string& address);  // a held connection is gone
  // One less for `address` in a per-address count (mu_ held).
  static void count_down(std::map<std::string, size_t>& counts, const std::string& address);

  const GateLimits limits_;
  const std::string name_;
  int epoll_ = -1, wake_ = -1;
  mutable std::mutex mu_;
  std::condition_variable work_;
  bool stopping_ = false;
  uint64_t next_id_ = 1;
  std::map<uint64_t, Conn> waiting_;  // by id: the oldest first
  std::deque<Conn> ready_;
  std::vector<Conn> to_close_;
  std::map<std::string, size_t> held_, busy_;  // per address
  std::vector<char> peek_;                     // head_complete's buffer
  GateStats stats_;
  std::thread gate_;
  std::vector<std::thread> workers_;
};

// Puts a ConnectionGate in front of `srv` (as its task queue, with `limits`;
// limits.tls for an SSLServer) and sets the server's timeouts to match: 1 s
// for an idle keep-alive connection (it holds a worker meanwhile), 5 s per
// read and write. Call before listening.
void gate_server(httplib::Server& srv, GateLimits limits, const std::string& name);

// cpp-httplib (0.11) listens with a backlog of 5: a burst of connections
// overflows it and a good client's SYN waits a retransmission (1 s and more).
// Raises the backlog of this process's listening TCP socket on `port`.
void raise_listen_backlog(uint16_t port, int backlog = 1024);

// Called by the process's accept() (cloexec_accept.cpp) with each connection it
// accepted; ConnectionGate::enqueue on the same thread takes it.
void note_accepted_fd(int fd);

}  // namespace pf::host
