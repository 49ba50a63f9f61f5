// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/audio/realtime_probe.h"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <fmt/format.h>

namespace pf::host {

namespace {

// Whether a thread may make itself SCHED_FIFO (priority 1, at once undone: the
// thread ends).
bool can_set_fifo() {
  bool ok = false;
  std::thread t([&] {
    sched_param p{};
    p.sched_priority = 1;
    ok = pthread_setschedparam(pthread_self(), SCHED_FIFO, &p) == 0;
  });
  t.join();
  return ok;
}

bool rtkit_running() {
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/proc", ec)) {
    std::ifstream comm(e.path() / "comm");
    std::string name;
    if (comm && std::getline(comm, name) && name == "rtkit-daemon")
      return true;
  }
  return false;
}

}  // namespace

RealtimeVerdict probe_realtime_audio() {
  rlimit rl{};
  getrlimit(RLIMIT_RTPRIO, &rl);
  if (can_set_fifo())
    return {true,
            fmt::format("threads may run SCHED_FIFO (RLIMIT_RTPRIO {}{}): PipeWire's data "
                        "thread runs real-time",
                        rl.rlim_cur == RLIM_INFINITY ? "unlimited" : std::to_string(rl.rlim_cur),
                        rl.rlim_cur == 0 ? ", privileged" : "")};
  if (rtkit_running())
    return {true, "RTKit is running: PipeWire asks it for real-time priority"};
  return {
      false,
      "no real-time priority (RLIMIT_RTPRIO 0, no RTKit): the mic and desktop audio threads run "
      "SCHED_OTHER and may miss cycles under load (apt-get install rtkit, or raise rtprio in "
      "/etc/security/limits.d)"};
}

}  // namespace pf::host
