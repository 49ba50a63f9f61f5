// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/vdisplay/xvfb_display.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "base/log.h"

extern char** environ;

namespace pf::host {

namespace {

std::string find_in_path(const char* name) {
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "/usr/bin:/bin";
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

}  // namespace

ProbeVerdict XvfbDisplay::probe() {
  const std::string bin = find_in_path("Xvfb");
  if (bin.empty())
    return {false, "Xvfb is not installed (Debian package xvfb)"};
  return {true, fmt::format("{} can create headless displays of any mode", bin)};
}

Result<std::unique_ptr<XvfbDisplay>> XvfbDisplay::create(const DisplayMode& mode) {
  if (mode.width < 64 || mode.height < 64 || mode.width > 16384 || mode.height > 16384 ||
      mode.fps <= 0)
    return make_error(
        StatusCode::kInvalidArgument,
        fmt::format("display mode {}x{}@{} is out of range", mode.width, mode.height, mode.fps));
  std::unique_ptr<XvfbDisplay> d(new XvfbDisplay());
  if (auto st = d->spawn(mode, -1); !st.is_ok())
    return tl::unexpected(st);
  return d;
}

Status XvfbDisplay::spawn(const DisplayMode& mode, int display) {
  const std::string bin = find_in_path("Xvfb");
  if (bin.empty())
    return Status(StatusCode::kUnavailable, "Xvfb is not installed (Debian package xvfb)");
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return Status(StatusCode::kUnavailable, "pipe failed");
  const std::string screen = fmt::format("{}x{}x24", mode.width, mode.height);
  const std::string fd_arg = std::to_string(fds[1]);
  std::vector<std::string> args = {"Xvfb"};
  if (display >= 0)
    args.push_back(":" + std::to_string(display));
  for (const char* a : {"-screen", "0"})
    args.emplace_back(a);
  args.push_back(screen);
  for (const char* a : {"-nolisten", "tcp", "-noreset", "+extension", "MIT-SHM", "+extension",
                        "XTEST", "-displayfd"})
    args.emplace_back(a);
  args.push_back(fd_arg);
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  // The child keeps the pipe's write end (cleared CLOEXEC) and loses stdin;
  // Xvfb's chatter goes to /dev/null unless debugging.
  posix_spawn_file_actions_adddup2(&fa, fds[1], fds[1]);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  if (!std::getenv("PUNKTFUNK_XVFB_LOG")) {
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  }
  // dup2 onto itself does not clear FD_CLOEXEC: clear it explicitly first.
  ::fcntl(fds[1], F_SETFD, 0);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, bin.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    return Status(StatusCode::kUnavailable,
                  fmt::format("cannot start Xvfb: {}", std::strerror(rc)));
  }
  // Xvfb writes the display number once it accepts connections.
  std::string number;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fds[0], POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) {
      int status;
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        pid = -1;
        break;
      }
      continue;
    }
    char c;
    const ssize_t n = ::read(fds[0], &c, 1);
    if (n <= 0 || c == '\n')
      break;
    number.push_back(c);
  }
  ::close(fds[0]);
  if (pid < 0 || number.empty()) {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
    return Status(StatusCode::kUnavailable,
                  "Xvfb did not start (set PUNKTFUNK_XVFB_LOG=1 to see its output)");
  }
  pid_ = pid;
  display_ = std::atoi(number.c_str());
  mode_ = mode;
  log_debug("vdisplay: Xvfb :{} (pid {}) at {}x{}", display_, pid_, mode.width, mode.height);
  return Status::ok();
}

void XvfbDisplay::terminate() {
  if (pid_ <= 0)
    return;
  ::kill(pid_, SIGTERM);
  for (int i = 0; i < 100; ++i) {
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

Status XvfbDisplay::resize(const DisplayMode& mode) {
  if (mode == mode_)
    return Status::ok();
  // Xvfb's screen size is fixed at start: recreate it on the same display.
  const int display = display_;
  terminate();
  // The old server's lock and socket go away as it exits; retry briefly.
  Status st;
  for (int attempt = 0; attempt < 20; ++attempt) {
    st = spawn(mode, display);
    if (st.is_ok())
      return st;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return st;
}

XvfbDisplay::~XvfbDisplay() {
  terminate();
}

}  // namespace pf::host
