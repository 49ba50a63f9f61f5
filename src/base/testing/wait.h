// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once
// Test helpers for multi-threaded tests: wait for a condition no callback
// signals, and count this process's open file descriptors (leak checks).
// Header-only, for tests.
#include <dirent.h>

#include <chrono>
#include <thread>

namespace pf::testing {

// Polls `pred` every millisecond until it holds or `timeout` passes.
template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > end)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

inline int open_fd_count() {
  int n = 0;
  if (DIR* d = ::opendir("/proc/self/fd")) {
    while (::readdir(d))
      ++n;
    ::closedir(d);
  }
  return n;
}

}  // namespace pf::testing
