// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "base/status.h"

// The logging facade. Code logs through pf::log_* and never includes spdlog, so
// the sink (console, journald) is chosen in one place. Not for the per-packet
// hot path: count there and let a stats thread log.

namespace pf {

enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError, kOff };

// Parses "trace|debug|info|warn|error|off".
Result<LogLevel> parse_log_level(std::string_view name);
void set_log_level(LogLevel level);
LogLevel log_level();

// Where stderr goes decides the line format. A terminal or a file gets
// "date time level message" (colour only on a terminal); the systemd journal
// (stderr is the stream named by $JOURNAL_STREAM) gets "<priority>message":
// journald stamps the time itself and maps the syslog priority prefix to the
// entry's level, so `journalctl -p warning` works.
enum class LogFormat { kPlain, kJournal };
// kJournal when `journal_stream` ("<dev>:<inode>", from $JOURNAL_STREAM)
// names the file behind `fd`.
LogFormat detect_log_format(const char* journal_stream, int fd);
// The syslog priority journald reads from "<N>": error 3, warning 4, info 6,
// debug and trace 7.
int syslog_priority(LogLevel level);

// The newest `max` lines logged (at most 1000 are kept), oldest first, each
// "2026-11-25T21:52:37.123Z warn  message": the management API's log tail.
struct LogLine {
  std::string time;  // UTC, ISO 8601 with milliseconds
  LogLevel level;
  std::string message;
};
std::vector<LogLine> recent_log_lines(size_t max);
std::string_view log_level_name(LogLevel level);

namespace detail {
void log_write(LogLevel level, std::string_view message);
bool log_enabled(LogLevel level);
}  // namespace detail

template <typename... Args>
void log(LogLevel level, fmt::format_string<Args...> format, Args&&... args) {
  if (!detail::log_enabled(level))
    return;
  detail::log_write(level, fmt::format(format, std::forward<Args>(args)...));
}
template <typename... Args>
void log_debug(fmt::format_string<Args...> f, Args&&... a) {
  log(LogLevel::kDebug, f, std::forward<Args>(a)...);
}
template <typename... Args>
void log_info(fmt::format_string<Args...> f, Args&&... a) {
  log(LogLevel::kInfo, f, std::forward<Args>(a)...);
}
template <typename... Args>
void log_warn(fmt::format_string<Args...> f, Args&&... a) {
  log(LogLevel::kWarn, f, std::forward<Args>(a)...);
}
template <typename... Args>
void log_error(fmt::format_string<Args...> f, Args&&... a) {
  log(LogLevel::kError, f, std::forward<Args>(a)...);
}

}  // namespace pf
