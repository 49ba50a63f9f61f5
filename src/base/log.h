// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <string_view>

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
