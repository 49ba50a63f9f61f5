// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/vdisplay/mutter_headless.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "base/log.h"
#include "host/process/child_process.h"
#include "host/vdisplay/mutter_display.h"

extern char** environ;

namespace pf::host {
namespace {

// The host's environment for Mutter, on its own bus and with no display of
// the host's to attach to.
std::vector<std::string> mutter_environment(const std::string& bus_address) {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    const std::string_view entry(*e);
    bool drop = false;
    for (std::string_view name :
         {"DBUS_SESSION_BUS_ADDRESS=", "WAYLAND_DISPLAY=", "WAYLAND_SOCKET=", "DISPLAY="})
      drop = drop || entry.substr(0, name.size()) == name;
    if (!drop)
      env.emplace_back(entry);
  }
  env.push_back("DBUS_SESSION_BUS_ADDRESS=" + bus_address);
  return env;
}

bool exited(pid_t pid) {
  return pid <= 0 || ::waitpid(pid, nullptr, WNOHANG) == pid;
}

}  // namespace

ProbeVerdict MutterHeadless::probe() {
  const std::string mutter = find_in_path("mutter");
  if (mutter.empty())
    return {false, "mutter is not installed (Debian package mutter)"};
  if (find_in_path("dbus-daemon").empty())
    return {false, "dbus-daemon is not installed (Debian package dbus-daemon)"};
  if (!std::getenv("XDG_RUNTIME_DIR"))
    return {false, "XDG_RUNTIME_DIR is not set (Mutter puts its Wayland socket there)"};
  return {true, fmt::format("{} --headless, one per session on a bus of its own", mutter)};
}

Result<std::unique_ptr<MutterHeadless>> MutterHeadless::start(std::chrono::milliseconds timeout) {
  if (auto v = probe(); !v.available)
    return make_error(StatusCode::kUnavailable, v.reason);
  std::unique_ptr<MutterHeadless> m(new MutterHeadless());
  if (auto st = m->start_bus(timeout); !st.is_ok())
    return tl::unexpected(st);
  if (auto st = m->start_mutter(timeout); !st.is_ok())
    return tl::unexpected(st);
  return m;
}

Status MutterHeadless::start_bus(std::chrono::milliseconds timeout) {
  ChildSpec spec;
  spec.program = "dbus-daemon";
  spec.argv = {"dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=3"};
  spec.death_signal = SIGTERM;
  spec.quiet = !std::getenv("PUNKTFUNK_MUTTER_LOG");
  auto address = spawn_child_for_line(std::move(spec), timeout, &bus_pid_);
  if (bus_pid_ < 0)
    return address.error();
  if (!address || address->empty())
    return Status(StatusCode::kUnavailable,
                  fmt::format("dbus-daemon for a headless Mutter did not start: {}",
                              address ? "no address" : address.error().message()));
  bus_address_ = *address;
  return Status::ok();
}

Status MutterHeadless::start_mutter(std::chrono::milliseconds timeout) {
  static std::atomic<unsigned> counter{0};
  wayland_display_ = fmt::format("punktfunk-mutter-{}-{}", ::getpid(), ++counter);
  ChildSpec spec;
  spec.program = "mutter";
  spec.argv = {"mutter",       "--headless",        "--wayland",     "--no-x11",
               "--sm-disable", "--wayland-display", wayland_display_};
  spec.env = mutter_environment(bus_address_);
  spec.death_signal = SIGTERM;
  spec.quiet = !std::getenv("PUNKTFUNK_MUTTER_LOG");
  auto pid = spawn_child(spec);
  if (!pid)
    return pid.error();
  mutter_pid_ = *pid;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  ProbeVerdict v;
  while (std::chrono::steady_clock::now() < deadline) {
    v = MutterDisplay::probe(bus_address_);
    if (v.available) {
      log_debug("vdisplay: headless Mutter (pid {}) on {} as {}", mutter_pid_, bus_address_,
                wayland_display_);
      return Status::ok();
    }
    if (exited(mutter_pid_)) {
      mutter_pid_ = -1;
      return Status(StatusCode::kUnavailable,
                    "mutter --headless exited at its start (PUNKTFUNK_MUTTER_LOG=1 shows why)");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Status(StatusCode::kTimeout,
                fmt::format("mutter --headless did not offer its ScreenCast API in {} ms: {}",
                            timeout.count(), v.reason));
}

bool MutterHeadless::alive() {
  if (exited(mutter_pid_)) {
    if (mutter_pid_ > 0)
      log_warn("vdisplay: headless Mutter {} (pid {}) is gone", wayland_display_, mutter_pid_);
    mutter_pid_ = -1;
    return false;
  }
  if (exited(bus_pid_)) {
    bus_pid_ = -1;
    return false;
  }
  return true;
}

MutterHeadless::~MutterHeadless() {
  stop_child(mutter_pid_, std::chrono::seconds(2));
  stop_child(bus_pid_);
}

}  // namespace pf::host
