// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/app/app_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "host/process/child_process.h"

extern char** environ;

namespace pf::host {

Result<std::unique_ptr<AppProcess>> AppProcess::start(const std::string& command,
                                                      const std::string& display) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e)
    if (std::strncmp(*e, "DISPLAY=", 8) != 0 && std::strncmp(*e, "WAYLAND_DISPLAY=", 16) != 0 &&
        std::strncmp(*e, "PULSE_SINK=", 11) != 0)
      env.emplace_back(*e);
  if (display.rfind("wayland:", 0) == 0) {
    // A compositor's output (sway): the app is a Wayland client of it and
    // opens on the focused output, which the display made its own.
    if (const char* wl = std::getenv("WAYLAND_DISPLAY"))
      env.push_back(std::string("WAYLAND_DISPLAY=") + wl);
  } else {
    env.push_back("DISPLAY=" + display);
  }
  env.push_back("PULSE_SINK=punktfunk-speakers");  // what the app plays reaches the client
  // Its own process group, so stop() reaches its children; nothing of the
  // host's but stdio; SIGTERM when the host dies.
  ChildSpec spec;
  spec.program = "/bin/sh";
  spec.argv = {"sh", "-c", command};
  spec.env = std::move(env);
  spec.own_process_group = true;
  spec.death_signal = SIGTERM;
  auto pid = spawn_child(spec);
  if (!pid)
    return make_error(StatusCode::kUnavailable,
                      fmt::format("cannot start '{}': {}", command, pid.error().message()));
  std::unique_ptr<AppProcess> p(new AppProcess());
  p->pid_ = *pid;
  return p;
}

bool AppProcess::running() {
  if (pid_ <= 0)
    return false;
  if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

void AppProcess::stop(int grace_ms) {
  if (pid_ <= 0)
    return;
  ::kill(-pid_, SIGTERM);
  for (int waited = 0; waited < grace_ms; waited += 10) {
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
      ::kill(-pid_, SIGKILL);  // leftovers of the group
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(-pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

AppProcess::~AppProcess() {
  stop();
}

}  // namespace pf::host
