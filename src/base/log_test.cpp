// SPDX-License-Identifier: MIT OR Apache-2.0
#include "base/log.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

namespace pf {
namespace {

TEST(LogTest, ParsesLevels) {
  EXPECT_EQ(*parse_log_level("debug"), LogLevel::kDebug);
  EXPECT_EQ(*parse_log_level("warning"), LogLevel::kWarn);
  auto bad = parse_log_level("loud");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("loud"), std::string::npos);
}

TEST(LogTest, LevelFiltersMessages) {
  set_log_level(LogLevel::kWarn);
  EXPECT_EQ(log_level(), LogLevel::kWarn);
  EXPECT_FALSE(detail::log_enabled(LogLevel::kInfo));
  EXPECT_TRUE(detail::log_enabled(LogLevel::kError));
  testing::internal::CaptureStderr();
  log_info("hidden {}", 1);
  log_warn("shown {}", 2);
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(err.find("hidden"), std::string::npos);
  EXPECT_NE(err.find("shown 2"), std::string::npos);
  set_log_level(LogLevel::kInfo);
}

TEST(LogTest, JournalFormatOnlyWhenStderrIsTheNamedStream) {
  char path[] = "/tmp/pf-log-test-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  struct stat st {};
  ASSERT_EQ(fstat(fd, &st), 0);
  const std::string mine = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
  EXPECT_EQ(detect_log_format(mine.c_str(), fd), LogFormat::kJournal);
  EXPECT_EQ(detect_log_format(nullptr, fd), LogFormat::kPlain);
  // Another file (a child whose stderr was redirected away from the journal).
  const std::string other = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino + 1);
  EXPECT_EQ(detect_log_format(other.c_str(), fd), LogFormat::kPlain);
  EXPECT_EQ(detect_log_format("garbage", fd), LogFormat::kPlain);
  EXPECT_EQ(detect_log_format((mine + "x").c_str(), fd), LogFormat::kPlain);
  close(fd);
  unlink(path);
}

TEST(LogTest, KeepsTheNewestLinesForTheTail) {
  testing::internal::CaptureStderr();
  for (int i = 0; i < 1005; ++i)
    log_warn("tail line {}", i);
  (void)testing::internal::GetCapturedStderr();
  auto last = recent_log_lines(3);
  ASSERT_EQ(last.size(), 3u);
  EXPECT_EQ(last[0].message, "tail line 1002");
  EXPECT_EQ(last[2].message, "tail line 1004");
  EXPECT_EQ(last[2].level, LogLevel::kWarn);
  EXPECT_EQ(last[2].time.size(), 24u);  // 2026-11-25T21:52:37.123Z
  EXPECT_EQ(last[2].time.back(), 'Z');
  EXPECT_EQ(recent_log_lines(5000).size(), 1000u);  // bounded
  EXPECT_EQ(log_level_name(LogLevel::kWarn), "warn");
}

TEST(LogTest, SyslogPrioritiesMatchJournald) {
  EXPECT_EQ(syslog_priority(LogLevel::kError), 3);
  EXPECT_EQ(syslog_priority(LogLevel::kWarn), 4);
  EXPECT_EQ(syslog_priority(LogLevel::kInfo), 6);
  EXPECT_EQ(syslog_priority(LogLevel::kDebug), 7);
  EXPECT_EQ(syslog_priority(LogLevel::kTrace), 7);
}

}  // namespace
}  // namespace pf
