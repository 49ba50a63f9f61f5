// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

// Starting the host's children (display servers, apps, helpers) so that they
// share nothing with the host but what they are given: stdin is /dev/null,
// stdout/stderr are the host's or /dev/null, the descriptors named in `fds`
// are passed at the numbers given, and every other descriptor is closed before
// exec — whatever a library opened without close-on-exec, a child never holds
// the host's sockets. A child can be given a signal for when the host dies
// (PR_SET_PDEATHSIG): every fork happens on one spawner thread that lives as
// long as the process, because the kernel sends that signal when the forking
// *thread* ends. Signal dispositions and the signal mask are reset to the
// defaults. Thread-safe.
namespace pf::host {

struct ChildSpec {
  std::string program;            // a path, or a name looked up in $PATH
  std::vector<std::string> argv;  // argv[0] included
  // The environment; nullopt = the host's own.
  std::optional<std::vector<std::string>> env;
  // Host descriptor -> descriptor number in the child (>= 3).
  std::vector<std::pair<int, int>> fds;
  bool own_process_group = false;  // setpgid(0, 0): stop() can signal the whole group
  int death_signal = 0;            // sent to the child when the host dies (0 = none)
  bool quiet = false;              // stdout and stderr to /dev/null
};

// Starts the child; the error says why it could not (program not found, exec
// failed with errno). The caller reaps it (waitpid).
Result<pid_t> spawn_child(const ChildSpec& spec);

// Ends a child: SIGTERM, then SIGKILL when it has not exited after `grace`;
// reaps it either way. Nothing for pid <= 0.
void stop_child(pid_t pid, std::chrono::milliseconds grace = std::chrono::seconds(1));

// One line (without its '\n') that child `pid` writes into `fd` (the read end
// of a pipe whose write end it got), e.g. Xvfb's display number or
// dbus-daemon's address. Fails when the child exits or closes the pipe first,
// or after `timeout`; the child is left as it is either way.
Result<std::string> read_child_line(int fd, pid_t pid, std::chrono::milliseconds timeout);

// Starts the child with the write end of a pipe at its descriptor 3 and reads
// the one line it reports there (Xvfb's -displayfd 3, dbus-daemon's
// --print-address=3). *pid is the child's, or -1 when it did not start; when
// the line does not come the child is left running for the caller to stop.
Result<std::string> spawn_child_for_line(ChildSpec spec,
                                         std::chrono::milliseconds timeout,
                                         pid_t* pid);

// Marks every descriptor >= 3 the process inherited from whoever started it
// close-on-exec (a shell or service manager may pass some along), so nothing
// the host did not open itself can reach a program it execs. Call first in
// main().
void cloexec_inherited_fds();

// `name` found in $PATH as an executable file ("" when absent); a name with a
// '/' is returned as it is when executable.
std::string find_in_path(const std::string& name);

}  // namespace pf::host
