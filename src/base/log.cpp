// SPDX-License-Identifier: MIT OR Apache-2.0
#include "base/log.h"

#include <sys/stat.h>

#include <algorithm>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <deque>
#include <mutex>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace pf {
namespace {

spdlog::level::level_enum to_spdlog(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace:
      return spdlog::level::trace;
    case LogLevel::kDebug:
      return spdlog::level::debug;
    case LogLevel::kInfo:
      return spdlog::level::info;
    case LogLevel::kWarn:
      return spdlog::level::warn;
    case LogLevel::kError:
      return spdlog::level::err;
    case LogLevel::kOff:
      return spdlog::level::off;
  }
  return spdlog::level::info;
}

// Decided once, with the logger: stderr does not change under a running host.
LogFormat format_of_stderr() {
  static const LogFormat format = detect_log_format(std::getenv("JOURNAL_STREAM"), 2);
  return format;
}

spdlog::logger& logger() {
  // Logs go to stderr so that stdout stays free for command output.
  static std::shared_ptr<spdlog::logger> instance = [] {
    auto l = spdlog::stderr_color_mt("punktfunk");
    if (format_of_stderr() == LogFormat::kJournal)
      l->set_pattern("%v");  // log_write puts the "<priority>" in front
    else
      l->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ %v");
    l->set_level(spdlog::level::info);
    return l;
  }();
  return *instance;
}

constexpr size_t kKeptLines = 1000;

struct RecentLines {
  std::mutex mu;
  std::deque<LogLine> lines;
};
RecentLines& recent() {
  static RecentLines r;
  return r;
}

void remember(LogLevel level, std::string_view message) {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  std::tm tm{};
  gmtime_r(&ts.tv_sec, &tm);
  char buf[40];
  const size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03ldZ", ts.tv_nsec / 1'000'000);
  auto& r = recent();
  std::lock_guard lock(r.mu);
  if (r.lines.size() == kKeptLines)
    r.lines.pop_front();
  r.lines.push_back(LogLine{buf, level, std::string(message)});
}

}  // namespace

std::vector<LogLine> recent_log_lines(size_t max) {
  auto& r = recent();
  std::lock_guard lock(r.mu);
  const size_t n = std::min(max, r.lines.size());
  return std::vector<LogLine>(r.lines.end() - static_cast<long>(n), r.lines.end());
}

std::string_view log_level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace:
      return "trace";
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
    case LogLevel::kOff:
      return "off";
  }
  return "info";
}

Result<LogLevel> parse_log_level(std::string_view name) {
  if (name == "trace")
    return LogLevel::kTrace;
  if (name == "debug")
    return LogLevel::kDebug;
  if (name == "info")
    return LogLevel::kInfo;
  if (name == "warn" || name == "warning")
    return LogLevel::kWarn;
  if (name == "error")
    return LogLevel::kError;
  if (name == "off")
    return LogLevel::kOff;
  return make_error(
      StatusCode::kInvalidArgument,
      fmt::format("unknown log level '{}': use trace, debug, info, warn, error or off", name));
}

LogFormat detect_log_format(const char* journal_stream, int fd) {
  if (journal_stream == nullptr)
    return LogFormat::kPlain;
  unsigned long long dev = 0, ino = 0;
  char tail = 0;
  if (std::sscanf(journal_stream, "%llu:%llu%c", &dev, &ino, &tail) != 2)
    return LogFormat::kPlain;
  struct stat st {};
  if (fstat(fd, &st) != 0)
    return LogFormat::kPlain;
  return static_cast<unsigned long long>(st.st_dev) == dev &&
                 static_cast<unsigned long long>(st.st_ino) == ino
             ? LogFormat::kJournal
             : LogFormat::kPlain;
}

int syslog_priority(LogLevel level) {
  switch (level) {
    case LogLevel::kError:
    case LogLevel::kOff:
      return 3;
    case LogLevel::kWarn:
      return 4;
    case LogLevel::kInfo:
      return 6;
    case LogLevel::kDebug:
    case LogLevel::kTrace:
      return 7;
  }
  return 6;
}

void set_log_level(LogLevel level) {
  logger().set_level(to_spdlog(level));
}

LogLevel log_level() {
  switch (logger().level()) {
    case spdlog::level::trace:
      return LogLevel::kTrace;
    case spdlog::level::debug:
      return LogLevel::kDebug;
    case spdlog::level::info:
      return LogLevel::kInfo;
    case spdlog::level::warn:
      return LogLevel::kWarn;
    case spdlog::level::err:
    case spdlog::level::critical:
      return LogLevel::kError;
    default:
      return LogLevel::kOff;
  }
}

namespace detail {
bool log_enabled(LogLevel level) {
  return logger().should_log(to_spdlog(level));
}
void log_write(LogLevel level, std::string_view message) {
  remember(level, message);
  if (format_of_stderr() == LogFormat::kJournal)
    logger().log(to_spdlog(level), "<{}>{}", syslog_priority(level), message);
  else
    logger().log(to_spdlog(level), "{}", message);
}
}  // namespace detail

}  // namespace pf
