// SPDX-License-Identifier: MIT OR Apache-2.0
#include "base/thread_priority.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace pf {

namespace {
id_t this_thread() {
  return static_cast<id_t>(::syscall(SYS_gettid));
}
}  // namespace

bool raise_thread_priority(int nice) {
  return ::setpriority(PRIO_PROCESS, this_thread(), nice) == 0;
}

int thread_nice() {
  errno = 0;
  return ::getpriority(PRIO_PROCESS, this_thread());
}

}  // namespace pf
