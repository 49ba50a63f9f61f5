// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/process/child_process.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

#include <fmt/format.h>

extern char** environ;

namespace pf::host {

namespace {

// Everything the child needs, prepared before fork: after it, the child calls
// only async-signal-safe functions.
struct Prepared {
  std::string path;
  std::vector<char*> argv, envp;
  std::vector<int> from, to;
  int max_to = 2;
  bool group = false, quiet = false;
  int death_signal = 0;
};

// One past the highest descriptor number the process may have (for the
// loops where close_range is missing; getrlimit is async-signal-safe).
int fd_limit() {
  rlimit rl{};
  return ::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 1'048'576
             ? static_cast<int>(rl.rlim_cur)
             : 65536;
}

void close_from(int first) {
#ifdef SYS_close_range
  if (::syscall(SYS_close_range, static_cast<unsigned>(first), ~0U, 0) == 0)
    return;
#endif
  for (int fd = first, top = fd_limit(); fd < top; ++fd)
    ::close(fd);
}

[[noreturn]] void child_main(const Prepared& p, pid_t parent, int report_fd) {
  auto fail = [&] {
    const int e = errno;
    (void)!::write(report_fd, &e, sizeof e);
    ::_exit(127);
  };
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig)
    ::sigaction(sig, &dfl, nullptr);  // fails harmlessly for SIGKILL/SIGSTOP
  if (p.group && ::setpgid(0, 0) != 0)
    fail();
  if (p.death_signal != 0) {
    if (::prctl(PR_SET_PDEATHSIG, p.death_signal) != 0)
      fail();
    if (::getppid() != parent)  // the host died before the line above
      ::_exit(127);
  }
  // Descriptors to pass go up out of the way first, then to their numbers.
  int staged[64];
  const size_t n = std::min<size_t>(p.from.size(), 64);
  for (size_t i = 0; i < n; ++i)
    if ((staged[i] = ::fcntl(p.from[i], F_DUPFD, std::max(p.max_to + 1, report_fd + 1))) < 0)
      fail();
  for (size_t i = 0; i < n; ++i)
    if (::dup2(staged[i], p.to[i]) < 0)
      fail();
  const int null_fd = ::open("/dev/null", O_RDWR);
  if (null_fd < 0 || ::dup2(null_fd, 0) < 0)
    fail();
  if (p.quiet && (::dup2(null_fd, 1) < 0 || ::dup2(null_fd, 2) < 0))
    fail();
  // report_fd is close-on-exec and must survive until exec: move it above
  // everything, close the rest, then exec.
  const int report = ::fcntl(report_fd, F_DUPFD_CLOEXEC, 1000);
  if (report < 0)
    fail();
  for (int fd = 3; fd < report; ++fd) {
    bool passed = false;
    for (size_t i = 0; i < n; ++i)
      passed = passed || p.to[i] == fd;
    if (!passed)
      ::close(fd);
  }
  close_from(report + 1);
  report_fd = report;
  ::execve(p.path.c_str(), p.argv.data(), p.envp.data());
  fail();
  ::_exit(127);
}

// One thread forks every child (see the header: PR_SET_PDEATHSIG follows the
// forking thread). Started on first use, never ends.
class Spawner {
 public:
  static Spawner& instance() {
    static Spawner* s = new Spawner();  // leaked on purpose: outlives static destructors
    return *s;
  }

  Result<pid_t> run(const Prepared& p) {
    Job job{&p};
    std::unique_lock lock(mu_);
    queue_.push_back(&job);
    wake_.notify_all();
    done_.wait(lock, [&] { return job.done; });
    return job.result;
  }

 private:
  struct Job {
    const Prepared* prepared;
    Result<pid_t> result = make_error(StatusCode::kInternal, "not run");
    bool done = false;
  };

  Spawner() {
    std::thread([this] { loop(); }).detach();
  }

  void loop() {
    pthread_setname_np(pthread_self(), "pf-spawner");
    for (;;) {
      Job* job;
      {
        std::unique_lock lock(mu_);
        wake_.wait(lock, [&] { return !queue_.empty(); });
        job = queue_.front();
        queue_.pop_front();
      }
      Result<pid_t> r = fork_exec(*job->prepared);
      std::lock_guard lock(mu_);
      job->result = std::move(r);
      job->done = true;
      done_.notify_all();
    }
  }

  static Result<pid_t> fork_exec(const Prepared& p) {
    int report[2];
    if (::pipe2(report, O_CLOEXEC) != 0)
      return make_error(StatusCode::kUnavailable,
                        fmt::format("cannot start {}: pipe: {}", p.path, std::strerror(errno)));
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::close(report[0]);
      child_main(p, parent, report[1]);
    }
    ::close(report[1]);
    if (pid < 0) {
      ::close(report[0]);
      return make_error(StatusCode::kUnavailable,
                        fmt::format("cannot start {}: fork: {}", p.path, std::strerror(errno)));
    }
    // exec closes the report pipe; a failure writes errno into it first.
    int child_errno = 0;
    ssize_t got;
    do {
      got = ::read(report[0], &child_errno, sizeof child_errno);
    } while (got < 0 && errno == EINTR);
    ::close(report[0]);
    if (got == static_cast<ssize_t>(sizeof child_errno)) {
      ::waitpid(pid, nullptr, 0);
      return make_error(StatusCode::kUnavailable,
                        fmt::format("cannot start {}: {}", p.path, std::strerror(child_errno)));
    }
    return pid;
  }

  std::mutex mu_;
  std::condition_variable wake_, done_;
  std::deque<Job*> queue_;
};

}  // namespace

void cloexec_inherited_fds() {
#if defined(SYS_close_range) && defined(CLOSE_RANGE_CLOEXEC)
  if (::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
    return;
#endif
  for (int fd = 3, top = fd_limit(); fd < top; ++fd) {
    const int flags = ::fcntl(fd, F_GETFD);
    if (flags >= 0 && !(flags & FD_CLOEXEC))
      ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
  }
}

std::string find_in_path(const std::string& name) {
  if (name.empty())
    return {};
  if (name.find('/') != std::string::npos)
    return ::access(name.c_str(), X_OK) == 0 ? name : std::string();
  const char* path = std::getenv("PATH");
  const std::string p = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= p.size()) {
    const size_t end = p.find(':', start);
    const std::string dir =
        p.substr(start, end == std::string::npos ? std::string::npos : end - start);
    const std::string full = (dir.empty() ? "." : dir) + "/" + name;
    if (::access(full.c_str(), X_OK) == 0)
      return full;
    if (end == std::string::npos)
      break;
    start = end + 1;
  }
  return {};
}

Result<pid_t> spawn_child(const ChildSpec& spec) {
  Prepared p;
  p.path = find_in_path(spec.program);
  if (p.path.empty())
    return make_error(StatusCode::kNotFound,
                      fmt::format("cannot start {}: not found in PATH", spec.program));
  if (spec.argv.empty())
    return make_error(StatusCode::kInvalidArgument, "spawn_child: empty argv");
  if (spec.fds.size() > 64)
    return make_error(StatusCode::kInvalidArgument, "spawn_child: more than 64 descriptors");
  std::vector<std::string> argv = spec.argv, env;
  if (spec.env)
    env = *spec.env;
  else
    for (char** e = environ; *e; ++e)
      env.emplace_back(*e);
  for (auto& a : argv)
    p.argv.push_back(a.data());
  p.argv.push_back(nullptr);
  for (auto& e : env)
    p.envp.push_back(e.data());
  p.envp.push_back(nullptr);
  for (const auto& [from, to] : spec.fds) {
    if (to < 3 || from < 0)
      return make_error(StatusCode::kInvalidArgument,
                        "spawn_child: passed descriptors go to numbers >= 3");
    p.from.push_back(from);
    p.to.push_back(to);
    p.max_to = std::max(p.max_to, to);
  }
  p.group = spec.own_process_group;
  p.quiet = spec.quiet;
  p.death_signal = spec.death_signal;
  return Spawner::instance().run(p);
}

void stop_child(pid_t pid, std::chrono::milliseconds grace) {
  if (pid <= 0)
    return;
  ::kill(pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid, nullptr, WNOHANG) == pid)
      return;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
}

Result<std::string> read_child_line(int fd, pid_t pid, std::chrono::milliseconds timeout) {
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) {
      siginfo_t info{};
      if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0 ||
          info.si_pid == pid)
        return make_error(StatusCode::kUnavailable, "it exited");
      continue;
    }
    char c;
    const ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return make_error(StatusCode::kUnavailable, "it closed its pipe");
    if (c == '\n')
      return line;
    line.push_back(c);
  }
  return make_error(StatusCode::kTimeout, "it wrote nothing in time");
}

Result<std::string> spawn_child_for_line(ChildSpec spec,
                                         std::chrono::milliseconds timeout,
                                         pid_t* pid) {
  *pid = -1;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return make_error(StatusCode::kUnavailable,
                      fmt::format("cannot start {}: pipe: {}", spec.program, std::strerror(errno)));
  spec.fds.emplace_back(fds[1], 3);
  auto spawned = spawn_child(spec);
  ::close(fds[1]);
  if (!spawned) {
    ::close(fds[0]);
    return tl::unexpected(spawned.error());
  }
  *pid = *spawned;
  auto line = read_child_line(fds[0], *pid, timeout);
  ::close(fds[0]);
  return line;
}

}  // namespace pf::host
