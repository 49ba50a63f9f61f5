// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/process/app_process.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

namespace pf::host {
namespace {

TEST(AppProcessTest, RunsWithTheSessionDisplayAndStopsItsWholeGroup) {
  const auto dir = std::filesystem::temp_directory_path() / ("pf-app-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const auto out = dir / "display";
  const auto pidfile = dir / "child";
  // The shell records DISPLAY and starts a grandchild that would outlive it.
  auto p = AppProcess::start(
      "echo $DISPLAY > " + out.string() + "; sleep 60 & echo $! > " + pidfile.string() + "; wait",
      {"DISPLAY=:42"});
  ASSERT_TRUE(p) << p.error().to_string();
  for (int i = 0; i < 200 && !std::filesystem::exists(pidfile); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::string display;
  std::ifstream(out) >> display;
  EXPECT_EQ(display, ":42");
  pid_t child = 0;
  std::ifstream(pidfile) >> child;
  ASSERT_GT(child, 0);
  EXPECT_TRUE((*p)->running());
  (*p)->stop();
  EXPECT_FALSE((*p)->running());
  // The grandchild is gone too (or a zombie waiting for init to reap it).
  auto dead = [&] {
    std::ifstream stat("/proc/" + std::to_string(child) + "/stat");
    std::string pid, comm, state;
    if (!(stat >> pid >> comm >> state))
      return true;
    return state == "Z";
  };
  for (int i = 0; i < 100 && !dead(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(dead()) << "the grandchild must be gone too";
  std::filesystem::remove_all(dir);
}

TEST(AppProcessTest, AnAppThatExitsIsNotRunning) {
  auto p = AppProcess::start("exit 3", {"DISPLAY=:1"});
  ASSERT_TRUE(p);
  for (int i = 0; i < 100 && (*p)->running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_FALSE((*p)->running());
}

}  // namespace
}  // namespace pf::host
