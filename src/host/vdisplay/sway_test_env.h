// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once
// A real headless sway for tests: started in its own runtime directory (as
// the unprivileged user "nobody" when the tests run as root, because sway
// refuses root), with SWAYSOCK and WAYLAND_DISPLAY pointed at it for this
// process, and stopped with everything it started (swaybg) at the end.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace pf::host::testing {

class SwayEnv : public ::testing::Test {
 protected:
  // The background every output shows: #336699.
  static constexpr int kBgR = 0x33, kBgG = 0x66, kBgB = 0x99;

  void SetUp() override {
    namespace fs = std::filesystem;
    char tmpl[] = "/tmp/pf-sway-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    const bool root = ::geteuid() == 0;
    ::chmod(dir_.c_str(), 0700);
    if (root) {
      ASSERT_EQ(::chown(dir_.c_str(), 65534, 65534), 0);
    }
    const std::string config = dir_ + "/config";
    std::ofstream(config) << "output * bg #336699 solid_color\n" << extra_config();
    ::chmod(config.c_str(), 0644);
    if (root) {
      ASSERT_EQ(::chown(config.c_str(), 65534, 65534), 0);
    }
    std::vector<std::string> args;
    if (root)
      args = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"};
    for (const char* a : {"sway", "-c"})
      args.emplace_back(a);
    args.push_back(config);
    std::vector<std::string> env = {
        "PATH=/usr/local/bin:/usr/bin:/bin", "XDG_RUNTIME_DIR=" + dir_, "WLR_BACKENDS=headless",
        "WLR_LIBINPUT_NO_DEVICES=1",         "WLR_RENDERER=pixman",     "HOME=" + dir_};
    std::vector<char*> argv, envp;
    for (auto& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env)
      envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, (dir_ + "/sway.log").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    const int rc = posix_spawnp(&pid_, argv[0], &fa, &attr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    ASSERT_EQ(rc, 0) << "cannot start sway (Debian packages sway, swaybg)";
    // Its IPC socket (sway-ipc.<uid>.<pid>.sock) and Wayland socket appear in dir_.
    for (int i = 0; i < 100 && (swaysock_.empty() || wayland_.empty()); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      for (const auto& e : fs::directory_iterator(dir_)) {
        const std::string name = e.path().filename().string();
        if (name.rfind("sway-ipc.", 0) == 0)
          swaysock_ = e.path().string();
        else if (name.rfind("wayland-", 0) == 0 && name.find(".lock") == std::string::npos)
          wayland_ = e.path().string();
      }
    }
    ASSERT_FALSE(swaysock_.empty() || wayland_.empty())
        << "sway did not come up; its log: " << dir_ << "/sway.log";
    save("SWAYSOCK", swaysock_);
    save("WAYLAND_DISPLAY", wayland_);  // an absolute path: libwayland takes it as is
  }

  void TearDown() override {
    if (pid_ > 0) {
      ::kill(-pid_, SIGTERM);
      for (int i = 0; i < 50 && ::waitpid(pid_, nullptr, WNOHANG) == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      ::kill(-pid_, SIGKILL);
      ::waitpid(pid_, nullptr, WNOHANG);
    }
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
      if (it->second)
        ::setenv(it->first.c_str(), it->second->c_str(), 1);
      else
        ::unsetenv(it->first.c_str());
    }
    if (!dir_.empty() && !HasFailure())
      std::filesystem::remove_all(dir_);
  }

  // More lines for sway's config (bindings a test watches).
  virtual std::string extra_config() const { return {}; }
  // Whether sway's process group still has members.
  bool sway_group_alive() const { return pid_ > 0 && ::kill(-pid_, 0) == 0; }

  std::string dir_, swaysock_, wayland_;
  pid_t pid_ = -1;

 private:
  void save(const std::string& name, const std::string& value) {
    const char* old = std::getenv(name.c_str());
    saved_.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
    ::setenv(name.c_str(), value.c_str(), 1);
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

}  // namespace pf::host::testing
