// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/net/connection_gate.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/log.h"

namespace pf::host {
namespace {

thread_local int t_accepted_fd = -1;

int take_accepted_fd() {
  const int fd = t_accepted_fd;
  t_accepted_fd = -1;
  return fd;
}

std::string peer_address(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0)
    return "?";
  char buf[INET6_ADDRSTRLEN] = {};
  if (ss.ss_family == AF_INET)
    ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(&ss)->sin_addr, buf, sizeof buf);
  else if (ss.ss_family == AF_INET6)
    ::inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(&ss)->sin6_addr, buf, sizeof buf);
  return buf[0] ? buf : "?";
}

constexpr uint64_t kWakeId = 0;

}  // namespace

void note_accepted_fd(int fd) {
  t_accepted_fd = fd;
}

void gate_server(httplib::Server& srv, GateLimits limits, const std::string& name) {
  srv.new_task_queue = [limits, name] { return new ConnectionGate(limits, name); };
  srv.set_keep_alive_timeout(1);
  srv.set_read_timeout(5, 0);
  srv.set_write_timeout(5, 0);
}

void raise_listen_backlog(uint16_t port, int backlog) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    int fd = -1;
    try {
      fd = std::stoi(entry.path().filename().string());
    } catch (...) {
      continue;
    }
    int listening = 0;
    socklen_t len = sizeof listening;
    if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || !listening)
      continue;
    sockaddr_storage ss{};
    socklen_t sl = sizeof ss;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &sl) != 0)
      continue;
    const uint16_t p =
        ss.ss_family == AF_INET    ? ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port)
        : ss.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port)
                                   : 0;
    if (p == port)
      ::listen(fd, backlog);
  }
}

ConnectionGate::ConnectionGate(GateLimits limits, std::string name)
    : limits_(limits), name_(std::move(name)) {
  epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kWakeId;
  ::epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &ev);
  gate_ = std::thread([this] { gate_loop(); });
  for (size_t i = 0; i < std::max<size_t>(limits_.workers, 1); ++i)
    workers_.emplace_back([this] { worker_loop(); });
}

ConnectionGate::~ConnectionGate() {
  shutdown();
  for (int fd : {epoll_, wake_})
    if (fd >= 0)
      ::close(fd);
}

void ConnectionGate::enqueue(std::function<void()> fn) {
  const int fd = take_accepted_fd();
  std::unique_lock lock(mu_);
  ++stats_.accepted;
  if (fd < 0) {  // not known (no accept() of ours in this process): workers only
    static std::atomic<bool> warned{false};
    if (!warned.exchange(true))
      log_warn("{}: connections are not gated (accept() is not the host's)", name_);
    ready_.push_back(Conn{-1, "", std::move(fn), std::chrono::steady_clock::now()});
    work_.notify_one();
    return;
  }
  Conn c{fd, peer_address(fd), std::move(fn), std::chrono::steady_clock::now()};
  if (auto held = held_.find(c.address);
      held != held_.end() && held->second >= limits_.per_address) {
    ++stats_.refused_address;
    lock.unlock();
    std::vector<Conn> one;
    one.push_back(std::move(c));
    close_later(std::move(one));  // the listener goes back to accepting at once
    return;
  }
  std::vector<Conn> evict;
  size_t total = 0;
  for (const auto& [a, n] : held_)
    total += n;
  while (total >= limits_.total && !waiting_.empty()) {
    auto oldest = waiting_.begin();
    ::epoll_ctl(epoll_, EPOLL_CTL_DEL, oldest->second.fd, nullptr);
    ++stats_.evicted;
    evict.push_back(std::move(oldest->second));
    waiting_.erase(oldest);
    --total;
  }
  ++held_[c.address];
  const uint64_t id = next_id_++;
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
  ev.data.u64 = id;
  const int fd_copy = c.fd;
  waiting_.emplace(id, std::move(c));
  ::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd_copy, &ev);
  for (const Conn& e : evict)
    count_down(held_, e.address);
  lock.unlock();
  if (!evict.empty())
    close_later(std::move(evict));
}

void ConnectionGate::close_later(std::vector<Conn> conns) {
  for (const Conn& c : conns)
    ::shutdown(c.fd, SHUT_RDWR);  // the peer sees it closed now
  {
    std::lock_guard lock(mu_);
    for (Conn& c : conns)
      to_close_.push_back(std::move(c));
  }
  const uint64_t one = 1;
  (void)!::write(wake_, &one, sizeof one);
}

// Shut down, the connection's own task (cpp-httplib's) reads EOF at once,
// ends and closes the socket.
void ConnectionGate::close_conn(Conn c) {
  if (c.fd >= 0)
    ::shutdown(c.fd, SHUT_RDWR);
  c.task();
}

void ConnectionGate::count_down(std::map<std::string, size_t>& counts, const std::string& address) {
  auto it = counts.find(address);
  if (it != counts.end() && --it->second == 0)
    counts.erase(it);
}

void ConnectionGate::release(const std::string& address) {
  std::lock_guard lock(mu_);
  count_down(held_, address);
  work_.notify_all();
}

bool ConnectionGate::head_complete(int fd, bool* too_big, bool* gone) {
  std::vector<char>& buf = peek_;
  buf.resize(limits_.max_head_bytes);
  const ssize_t n = ::recv(fd, buf.data(), buf.size(), MSG_PEEK | MSG_DONTWAIT);
  *too_big = *gone = false;
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
    *gone = true;
    return false;
  }
  if (n < 0)
    return false;
  const auto len = static_cast<size_t>(n);
  if (limits_.tls) {
    // A TLS record: type 22 (handshake), version, 16-bit length. Anything
    // else goes on to OpenSSL, which refuses it at once.
    if (len >= 1 && static_cast<uint8_t>(buf[0]) != 22)
      return true;
    if (len < 5)
      return false;
    const size_t record =
        5 + (static_cast<size_t>(static_cast<uint8_t>(buf[3])) << 8 | static_cast<uint8_t>(buf[4]));
    if (record > limits_.max_head_bytes) {
      *too_big = true;
      return false;
    }
    return len >= record;
  }
  static constexpr std::string_view kEnd = "\r\n\r\n";
  if (std::string_view(buf.data(), len).find(kEnd) != std::string_view::npos)
    return true;
  *too_big = len >= limits_.max_head_bytes;
  return false;
}

void ConnectionGate::on_readable(uint64_t id) {
  std::unique_lock lock(mu_);
  auto it = waiting_.find(id);
  if (it == waiting_.end())
    return;  // closed meanwhile
  bool too_big = false, gone = false;
  const bool complete = head_complete(it->second.fd, &too_big, &gone);
  if (!complete && !too_big && !gone)
    return;
  ::epoll_ctl(epoll_, EPOLL_CTL_DEL, it->second.fd, nullptr);
  Conn c = std::move(it->second);
  waiting_.erase(it);
  if (complete) {
    ready_.push_back(std::move(c));
    work_.notify_all();
    return;
  }
  ++(too_big ? stats_.oversized : stats_.closed_early);
  lock.unlock();
  const std::string address = c.address;
  close_conn(std::move(c));
  release(address);
}

void ConnectionGate::expire(std::chrono::steady_clock::time_point now) {
  std::vector<Conn> late;
  {
    std::lock_guard lock(mu_);
    while (!waiting_.empty() && now - waiting_.begin()->second.since >= limits_.head_deadline) {
      auto oldest = waiting_.begin();
      ::epoll_ctl(epoll_, EPOLL_CTL_DEL, oldest->second.fd, nullptr);
      ++stats_.timed_out;
      late.push_back(std::move(oldest->second));
      waiting_.erase(oldest);
    }
  }
  for (Conn& c : late) {
    const std::string address = c.address;
    close_conn(std::move(c));
    release(address);
  }
}

void ConnectionGate::gate_loop() {
  epoll_event events[64];
  for (;;) {
    int timeout_ms = 1000;
    {
      std::lock_guard lock(mu_);
      if (stopping_)
        break;
      if (!waiting_.empty()) {
        const auto due = waiting_.begin()->second.since + limits_.head_deadline;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            due - std::chrono::steady_clock::now());
        timeout_ms = static_cast<int>(std::clamp<int64_t>(left.count() + 1, 0, 1000));
      }
    }
    const int n = ::epoll_wait(epoll_, events, 64, timeout_ms);
    for (int i = 0; i < n; ++i) {
      if (events[i].data.u64 != kWakeId) {
        on_readable(events[i].data.u64);
        continue;
      }
      uint64_t count;
      (void)!::read(wake_, &count, sizeof count);
    }
    std::vector<Conn> closing;
    {
      std::lock_guard lock(mu_);
      closing.swap(to_close_);
    }
    for (Conn& c : closing)
      close_conn(std::move(c));
    expire(std::chrono::steady_clock::now());
  }
  // Stopping: what still waits is closed.
  std::vector<Conn> left;
  {
    std::lock_guard lock(mu_);
    for (auto& [id, c] : waiting_)
      left.push_back(std::move(c));
    waiting_.clear();
    for (Conn& c : to_close_)
      left.push_back(std::move(c));
    to_close_.clear();
  }
  for (Conn& c : left)
    close_conn(std::move(c));
}

void ConnectionGate::worker_loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    auto pick = ready_.end();
    work_.wait(lock, [&] {
      pick = std::find_if(ready_.begin(), ready_.end(), [&](const Conn& c) {
        if (c.address.empty())
          return true;
        auto b = busy_.find(c.address);
        return b == busy_.end() || b->second < limits_.busy_per_address;
      });
      return pick != ready_.end() || (stopping_ && ready_.empty());
    });
    if (pick == ready_.end())
      return;  // stopping, nothing left
    Conn c = std::move(*pick);
    ready_.erase(pick);
    if (!c.address.empty())
      ++busy_[c.address];
    lock.unlock();
    c.task();
    lock.lock();
    ++stats_.served;
    if (!c.address.empty()) {
      count_down(busy_, c.address);
      count_down(held_, c.address);
    }
    work_.notify_all();
  }
}

void ConnectionGate::shutdown() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !gate_.joinable())
      return;
    stopping_ = true;
    work_.notify_all();
  }
  const uint64_t one = 1;
  (void)!::write(wake_, &one, sizeof one);
  if (gate_.joinable())
    gate_.join();
  for (auto& w : workers_)
    if (w.joinable())
      w.join();
  workers_.clear();
}

GateStats ConnectionGate::stats() const {
  std::lock_guard lock(mu_);
  GateStats s = stats_;
  s.waiting = waiting_.size();
  s.ready = ready_.size();
  for (const auto& [a, n] : busy_)
    s.busy += n;
  return s;
}

}  // namespace pf::host
