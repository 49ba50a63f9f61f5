// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

// A private PipeWire for one test: its own XDG_RUNTIME_DIR, session D-Bus,
// pipewire and wireplumber, started in SetUp and stopped in TearDown.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

extern char** environ;

namespace pf::host::testing {

inline pid_t spawn_quiet(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  return pid;
}

class PipeWireEnv : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pf-pw-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    ::setenv("XDG_RUNTIME_DIR", dir_.c_str(), 1);
    FILE* p = popen("dbus-daemon --session --fork --print-address=1 --print-pid=1", "r");
    ASSERT_NE(p, nullptr);
    char addr[512] = {}, pid[64] = {};
    ASSERT_TRUE(fgets(addr, sizeof addr, p));
    ASSERT_TRUE(fgets(pid, sizeof pid, p));
    pclose(p);
    addr[strcspn(addr, "\n")] = 0;
    dbus_pid_ = std::atoi(pid);
    ::setenv("DBUS_SESSION_BUS_ADDRESS", addr, 1);
    pipewire_ = spawn_quiet({"pipewire"});
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    wireplumber_ = spawn_quiet({"wireplumber"});
    for (int i = 0; i < 50; ++i) {
      if (std::system("pw-cli info 0 >/dev/null 2>&1") == 0)
        return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL() << "pipewire did not come up";
  }
  void TearDown() override {
    for (pid_t p : {wireplumber_, pipewire_})
      if (p > 0) {
        ::kill(p, SIGTERM);
        ::waitpid(p, nullptr, 0);
      }
    if (dbus_pid_ > 0)
      ::kill(dbus_pid_, SIGTERM);
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  pid_t pipewire_ = -1, wireplumber_ = -1, dbus_pid_ = -1;
};

}  // namespace pf::host::testing
