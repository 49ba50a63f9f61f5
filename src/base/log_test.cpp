// SPDX-License-Identifier: MIT OR Apache-2.0
#include "base/log.h"

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

}  // namespace
}  // namespace pf
