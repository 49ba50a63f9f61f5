// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/vdisplay/xvfb_display.h"

#include <fcntl.h>
#include <signal.h>
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
#include "host/process/child_process.h"
#include "host/vdisplay/x11_reach.h"

namespace pf::host {

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
  const std::string screen = fmt::format("{}x{}x24", mode.width, mode.height);
  std::vector<std::string> args = {"Xvfb"};
  if (display >= 0)
    args.push_back(":" + std::to_string(display));
  for (const char* a : {"-screen", "0"})
    args.emplace_back(a);
  args.push_back(screen);
  // The pipe's write end is the child's fd 3, where Xvfb writes its display
  // number; the child holds nothing else of the host. Xvfb's chatter goes to
  // /dev/null unless debugging. It dies with the host (SIGTERM lets it remove
  // its lock file), so a killed host leaves no server behind.
  for (const char* a : {"-nolisten", "tcp", "-noreset", "+extension", "MIT-SHM", "+extension",
                        "XTEST", "-displayfd", "3"})
    args.emplace_back(a);
  ChildSpec spec;
  spec.program = bin;
  spec.argv = std::move(args);
  spec.death_signal = SIGTERM;
  spec.quiet = !std::getenv("PUNKTFUNK_XVFB_LOG");
  // Xvfb writes the display number once it accepts connections.
  pid_t pid = -1;
  auto number = spawn_child_for_line(std::move(spec), std::chrono::seconds(10), &pid);
  if (pid < 0)
    return number.error();
  if (!number || number->empty()) {
    stop_child(pid, std::chrono::milliseconds(0));
    return Status(StatusCode::kUnavailable,
                  "Xvfb did not start (set PUNKTFUNK_XVFB_LOG=1 to see its output)");
  }
  pid_ = pid;
  display_ = std::atoi(number->c_str());
  mode_ = mode;
  log_debug("vdisplay: Xvfb :{} (pid {}) at {}x{}", display_, pid_, mode.width, mode.height);
  return Status::ok();
}

void XvfbDisplay::terminate() {
  stop_child(pid_);  // SIGTERM lets it remove its lock file
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

bool XvfbDisplay::alive() {
  if (pid_ <= 0)
    return false;
  if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
    log_warn("vdisplay: Xvfb :{} (pid {}) is gone", display_, pid_);
    pid_ = -1;
    return false;
  }
  return true;
}

XvfbDisplay::~XvfbDisplay() {
  terminate();
}

Result<std::unique_ptr<VideoSource>> XvfbDisplay::open_capture(int width, int height, int) {
  return open_x11_capture(address(), width, height);  // XShm grabs whenever asked
}

Result<std::unique_ptr<InputInjector>> XvfbDisplay::open_input() {
  return open_x11_input(address());
}

std::vector<std::string> XvfbDisplay::app_environment() const {
  return {"DISPLAY=" + address()};
}

}  // namespace pf::host
