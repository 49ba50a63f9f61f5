// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/process/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>

#include <gtest/gtest.h>

namespace pf::host {
namespace {

std::set<int> open_fds(pid_t pid) {
  std::set<int> fds;
  for (const auto& e : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd"))
    fds.insert(std::stoi(e.path().filename().string()));
  return fds;
}

// Waits up to `ms` for the child to end; true with its status when it did.
bool wait_for(pid_t pid, int ms, int* status) {
  for (int waited = 0; waited < ms; waited += 10) {
    if (::waitpid(pid, status, WNOHANG) == pid)
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

TEST(ChildProcess, ChildHoldsOnlyStdioWhateverTheHostLeftOpen) {
  int leak[2];
  ASSERT_EQ(::pipe(leak), 0);  // deliberately without O_CLOEXEC, as a careless library would
  auto pid = spawn_child({"sleep", {"sleep", "5"}, std::nullopt, {}, false, 0, true});
  ASSERT_TRUE(pid) << pid.error().message();
  // Give exec a moment to finish replacing the image.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(open_fds(*pid), (std::set<int>{0, 1, 2}));
  ::kill(*pid, SIGKILL);
  ::waitpid(*pid, nullptr, 0);
  ::close(leak[0]);
  ::close(leak[1]);
}

TEST(ChildProcess, PassedDescriptorArrivesAtItsNumber) {
  int p[2];
  ASSERT_EQ(::pipe2(p, O_CLOEXEC), 0);
  auto pid = spawn_child({"/bin/sh",
                          {"sh", "-c", "echo passed >&4; exec sleep 5"},
                          std::nullopt,
                          {{p[1], 4}},
                          false,
                          0,
                          true});
  ASSERT_TRUE(pid) << pid.error().message();
  ::close(p[1]);
  char buf[16] = {};
  const ssize_t n = ::read(p[0], buf, sizeof buf - 1);
  ::close(p[0]);
  EXPECT_EQ(std::string(buf, n > 0 ? static_cast<size_t>(n) : 0), "passed\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // exec of sleep done
  // 0-2 and the passed 4: nothing of the test process.
  EXPECT_EQ(open_fds(*pid), (std::set<int>{0, 1, 2, 4}));
  ::kill(*pid, SIGKILL);
  ::waitpid(*pid, nullptr, 0);
}

TEST(ChildProcess, EnvironmentIsExactlyTheOneGiven) {
  int q[2];
  ASSERT_EQ(::pipe2(q, O_CLOEXEC), 0);
  auto sh = spawn_child({"/bin/sh",
                         {"sh", "-c", "echo \"$A-$B-${HOME:-unset}\" >&3"},
                         std::vector<std::string>{"A=1", "B=two"},
                         {{q[1], 3}},
                         false,
                         0,
                         true});
  ASSERT_TRUE(sh);
  ::close(q[1]);
  char buf[64] = {};
  const ssize_t n = ::read(q[0], buf, sizeof buf - 1);
  ::close(q[0]);
  ::waitpid(*sh, nullptr, 0);
  EXPECT_EQ(std::string(buf, n > 0 ? static_cast<size_t>(n) : 0), "1-two-unset\n");
}

TEST(ChildProcess, FailuresSayWhy) {
  auto missing = spawn_child({"pf-no-such-program", {"x"}, std::nullopt, {}, false, 0, true});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("not found"), std::string::npos);
  // A directory passes the X_OK check but execve refuses it: errno comes back.
  auto dir = spawn_child({"/tmp", {"tmp"}, std::nullopt, {}, false, 0, true});
  ASSERT_FALSE(dir);
  EXPECT_NE(dir.error().message().find("Permission denied"), std::string::npos)
      << dir.error().message();
  auto low = spawn_child({"sleep", {"sleep", "1"}, std::nullopt, {{0, 2}}, false, 0, true});
  EXPECT_FALSE(low);
}

TEST(ChildProcess, OwnProcessGroup) {
  auto pid = spawn_child({"sleep", {"sleep", "5"}, std::nullopt, {}, true, 0, true});
  ASSERT_TRUE(pid);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(::getpgid(*pid), *pid);
  ::kill(-*pid, SIGKILL);
  ::waitpid(*pid, nullptr, 0);
}

// When this binary runs as the helper of DeathSignalEndsTheChildWhenTheHostIsKilled
// (a stand-in host): spawn `sleep 60` with the given death signal, report its
// pid, wait to be killed. Runs before main(), so no test sees it.
const bool g_is_helper = [] {
  const char* fd = std::getenv("PF_SPAWN_HELPER_FD");
  if (!fd)
    return false;
  const int signal_to_use = std::atoi(std::getenv("PF_SPAWN_HELPER_SIGNAL"));
  auto pid = spawn_child({"sleep", {"sleep", "60"}, std::nullopt, {}, false, signal_to_use, true});
  const pid_t v = pid ? *pid : -1;
  (void)!::write(std::atoi(fd), &v, sizeof v);
  for (;;)
    ::pause();
}();

// Spawns the helper (a "host") that starts a child, kill -9s the helper, and
// sees what becomes of the child (reparented to this process, a subreaper).
int child_fate_after_host_kill(int death_signal, bool* survived) {
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  int p[2];
  EXPECT_EQ(::pipe2(p, O_CLOEXEC), 0);
  auto helper = spawn_child(
      {"/proc/self/exe",
       {"helper"},
       std::vector<std::string>{"PF_SPAWN_HELPER_FD=3",
                                "PF_SPAWN_HELPER_SIGNAL=" + std::to_string(death_signal),
                                "PATH=/usr/bin:/bin"},
       {{p[1], 3}},
       false,
       0,
       true});
  EXPECT_TRUE(helper);
  ::close(p[1]);
  pid_t child = -1;
  EXPECT_EQ(::read(p[0], &child, sizeof child), static_cast<ssize_t>(sizeof child));
  ::close(p[0]);
  ::kill(*helper, SIGKILL);
  ::waitpid(*helper, nullptr, 0);
  int status = 0;
  *survived = !wait_for(child, 2000, &status);
  if (*survived) {
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
  }
  ::prctl(PR_SET_CHILD_SUBREAPER, 0);
  return status;
}

TEST(ChildProcess, DeathSignalEndsTheChildWhenTheHostIsKilled) {
  bool survived = true;
  const int status = child_fate_after_host_kill(SIGKILL, &survived);
  ASSERT_FALSE(survived) << "the child outlived its killed host";
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  // The control: without a death signal the child lives on.
  const int control = child_fate_after_host_kill(0, &survived);
  (void)control;
  EXPECT_TRUE(survived);
}

TEST(ChildProcess, InheritedDescriptorsBecomeCloseOnExec) {
  int p[2];
  ASSERT_EQ(::pipe(p), 0);
  EXPECT_EQ(::fcntl(p[0], F_GETFD) & FD_CLOEXEC, 0);
  cloexec_inherited_fds();
  EXPECT_NE(::fcntl(p[0], F_GETFD) & FD_CLOEXEC, 0);
  EXPECT_NE(::fcntl(p[1], F_GETFD) & FD_CLOEXEC, 0);
  EXPECT_EQ(::fcntl(0, F_GETFD) & FD_CLOEXEC, 0) << "stdio stays inheritable";
  ::close(p[0]);
  ::close(p[1]);
}

TEST(ChildProcess, FindInPath) {
  EXPECT_EQ(find_in_path("sh").empty(), false);
  EXPECT_EQ(find_in_path("/bin/sh"), "/bin/sh");
  EXPECT_EQ(find_in_path("pf-no-such-program"), "");
  EXPECT_EQ(find_in_path(""), "");
}

// A shell child that writes `script`'s output into a pipe at its fd 3.
pid_t sh_writing_to_3(const std::string& script, int& read_end) {
  int p[2];
  EXPECT_EQ(::pipe2(p, O_CLOEXEC), 0);
  ChildSpec spec;
  spec.program = "/bin/sh";
  spec.argv = {"sh", "-c", script};
  spec.fds = {{p[1], 3}};
  auto pid = spawn_child(spec);
  ::close(p[1]);
  read_end = p[0];
  EXPECT_TRUE(pid) << pid.error().to_string();
  return pid ? *pid : -1;
}

TEST(ChildProcess, ReadsTheLineAChildWrites) {
  int fd = -1;
  pid_t pid = sh_writing_to_3("sleep 0.1; echo 'unix:path=/tmp/x' >&3; sleep 5", fd);
  auto line = read_child_line(fd, pid, std::chrono::seconds(5));
  ASSERT_TRUE(line) << line.error().to_string();
  EXPECT_EQ(*line, "unix:path=/tmp/x");
  ::close(fd);
  stop_child(pid);
  EXPECT_EQ(::kill(pid, 0), -1) << "stopped and reaped";
}

TEST(ChildProcess, ALineThatNeverComesIsAnErrorNotAHang) {
  int fd = -1;
  // Exits without a word (the pipe stays open in a grandchild that sleeps on).
  pid_t pid = sh_writing_to_3("(sleep 3 <&- >&- 2>&-) & exit 3", fd);
  const auto t0 = std::chrono::steady_clock::now();
  auto line = read_child_line(fd, pid, std::chrono::seconds(10));
  EXPECT_FALSE(line);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2)) << "saw it exit";
  ::close(fd);
  ::waitpid(pid, nullptr, 0);
  // One that lives on and writes nothing: the timeout.
  pid = sh_writing_to_3("sleep 5", fd);
  line = read_child_line(fd, pid, std::chrono::milliseconds(200));
  ASSERT_FALSE(line);
  EXPECT_EQ(line.error().code(), StatusCode::kTimeout);
  ::close(fd);
  stop_child(pid);
}

TEST(ChildProcess, StopChildKillsWhatIgnoresSigterm) {
  ChildSpec spec;
  spec.program = "/bin/sh";
  spec.argv = {"sh", "-c", "trap '' TERM; while :; do sleep 0.05; done"};
  auto pid = spawn_child(spec);
  ASSERT_TRUE(pid);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the trap is set
  const auto t0 = std::chrono::steady_clock::now();
  stop_child(*pid, std::chrono::milliseconds(300));
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(took, std::chrono::milliseconds(300));
  EXPECT_LT(took, std::chrono::seconds(2));
  EXPECT_EQ(::kill(*pid, 0), -1) << "killed and reaped";
}

}  // namespace
}  // namespace pf::host
