// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/process/app_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "host/process/child_process.h"

extern char** environ;

namespace pf::host {

Result<std::unique_ptr<AppProcess>> AppProcess::start(const std::string& command,
                                                      const std::vector<std::string>& env_set) {
  // The host's environment, with the entries given replacing those of the
  // same name (DISPLAY, WAYLAND_DISPLAY, PULSE_SINK, ...).
  auto name_of = [](std::string_view e) { return e.substr(0, e.find('=')); };
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    bool replaced = false;
    for (const auto& s : env_set)
      replaced = replaced || name_of(s) == name_of(*e);
    if (!replaced)
      env.emplace_back(*e);
  }
  env.insert(env.end(), env_set.begin(), env_set.end());
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
