// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/input/input_log.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "base/log.h"

namespace pf::host {
namespace {

size_t lines_with(const std::string& needle) {
  const auto lines = recent_log_lines(1000);
  return static_cast<size_t>(std::count_if(lines.begin(), lines.end(), [&](const LogLine& l) {
    return l.message.find(needle) != std::string::npos;
  }));
}

TEST(InputLogTest, OneLinePerKindAndSecondWithTheCount) {
  set_log_level(LogLevel::kDebug);
  InputLog log;
  proto::native::InputDatagram key{};
  key.kind = static_cast<uint8_t>(proto::native::InputKind::kKeyDown);
  key.code = 30;
  const size_t before = lines_with("input: key down (code 30");
  const int64_t t0 = 5'000'000'000;
  for (int i = 0; i < 100; ++i)
    log.note(key, 0xabc, t0 + i * 1'000'000);  // 100 presses in 0.1 s
  EXPECT_EQ(lines_with("input: key down (code 30"), before + 1);
  log.note(key, 0xabc, t0 + 1'500'000'000);
  EXPECT_EQ(lines_with("input: key down (code 30"), before + 2);
  EXPECT_EQ(lines_with("from session 00000abc; 100 of this kind"), 1u);
  proto::native::InputDatagram move{};
  move.kind = static_cast<uint8_t>(proto::native::InputKind::kMouseRelative);
  log.note(move, 0xabc, t0 + 1'500'000'001);  // another kind has its own second
  EXPECT_EQ(lines_with("input: mouse motion"), 1u);
  set_log_level(LogLevel::kInfo);
  log.note(key, 0xabc, t0 + 9'000'000'000);  // off at info
  EXPECT_EQ(lines_with("input: key down (code 30"), before + 2);
}

TEST(InputLogTest, KindNames) {
  EXPECT_STREQ(InputLog::kind_name(16), "pen");
  EXPECT_STREQ(InputLog::kind_name(200), "unknown");
}

}  // namespace
}  // namespace pf::host
