// SPDX-License-Identifier: MIT OR Apache-2.0
// What systemd would receive: a datagram socket as NOTIFY_SOCKET.
#include "host/app/service_notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

namespace pf::host {
namespace {

class NotifySocket {
 public:
  NotifySocket() {
    path_ = (std::filesystem::temp_directory_path() /
             ("pf-notify-" + std::to_string(getpid()) + ".sock"))
                .string();
    ::unlink(path_.c_str());
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, path_.c_str(), sizeof a.sun_path - 1);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    ::setenv("NOTIFY_SOCKET", path_.c_str(), 1);
  }
  ~NotifySocket() {
    ::unsetenv("NOTIFY_SOCKET");
    ::close(fd_);
    ::unlink(path_.c_str());
  }
  std::string next() {
    char buf[512];
    timeval tv{2, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
  }

 private:
  std::string path_;
  int fd_ = -1;
};

TEST(ServiceNotifyTest, ReadyWatchdogAndStoppingReachTheServiceManager) {
  NotifySocket sock;
  notify_ready("serving GameStream and punktfunk/1");
  EXPECT_EQ(sock.next(), "READY=1\nSTATUS=serving GameStream and punktfunk/1");
  notify_watchdog();
  EXPECT_EQ(sock.next(), "WATCHDOG=1");
  notify_stopping();
  EXPECT_EQ(sock.next(), "STOPPING=1");
}

TEST(ServiceNotifyTest, TheWatchdogIntervalIsHalfOfWhatTheUnitAsks) {
  ::setenv("WATCHDOG_USEC", "10000000", 1);
  ::setenv("WATCHDOG_PID", std::to_string(getpid()).c_str(), 1);
  auto interval = watchdog_ping_interval();
  ASSERT_TRUE(interval.has_value());
  EXPECT_EQ(interval->count(), 5'000'000);
  ::setenv("WATCHDOG_PID", "1", 1);  // meant for another process
  EXPECT_FALSE(watchdog_ping_interval().has_value());
  ::unsetenv("WATCHDOG_USEC");
  ::unsetenv("WATCHDOG_PID");
  EXPECT_FALSE(watchdog_ping_interval().has_value());
}

TEST(ServiceNotifyTest, WithoutASocketNothingHappens) {
  ::unsetenv("NOTIFY_SOCKET");
  notify_ready("x");  // no crash, no error
  notify_watchdog();
}

}  // namespace
}  // namespace pf::host
