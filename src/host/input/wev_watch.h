// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once
// For tests: `wev` (a Wayland client that opens a window and prints every
// event it gets) on the compositor at $WAYLAND_DISPLAY, its output in a file
// the test reads, stopped when this object goes.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

extern char** environ;

namespace pf::host::testing {

class WevWatch {
 public:
  ~WevWatch() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  // Starts wev writing to `log_path` and waits until it has a window.
  bool start(const std::string& log_path) {
    path_ = log_path;
    // Line-buffered: wev's stdout is a file.
    std::string a0 = "stdbuf", a1 = "-oL", a2 = "wev";
    char* argv[] = {a0.data(), a1.data(), a2.data(), nullptr};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    const int rc = posix_spawnp(&pid_, "stdbuf", &fa, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    return rc == 0 && wait_for("xdg_toplevel] configure");
  }
  std::string log() const {
    std::ifstream f(path_);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
  }
  bool wait_until(const std::function<bool()>& ok,
                  std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) const {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
      if (ok())
        return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  bool wait_for(const std::string& text,
                std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) const {
    return wait_until([&] { return log().find(text) != std::string::npos; }, timeout);
  }

 private:
  std::string path_;
  pid_t pid_ = -1;
};

}  // namespace pf::host::testing
