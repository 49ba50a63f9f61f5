// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/gamestream/query.h"

#include <charconv>

#include <fmt/format.h>

namespace pf::proto::gamestream {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

Result<std::string> decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%') {
      if (i + 2 >= s.size())
        return make_error(StatusCode::kInvalidArgument, "truncated %-escape in query");
      const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0)
        return make_error(StatusCode::kInvalidArgument, "bad %-escape in query");
      out.push_back(static_cast<char>(hi << 4 | lo));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

Result<QueryParams> QueryParams::parse(std::string_view q) {
  if (q.size() > kMaxBytes)
    return make_error(StatusCode::kInvalidArgument,
                      fmt::format("query of {} bytes exceeds {}", q.size(), kMaxBytes));
  QueryParams out;
  size_t count = 0;
  while (!q.empty()) {
    const size_t amp = q.find('&');
    const std::string_view part = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    if (part.empty())
      continue;
    if (++count > kMaxParams)
      return make_error(StatusCode::kInvalidArgument, "too many query parameters");
    const size_t eq = part.find('=');
    auto key = decode(part.substr(0, eq));
    auto value = decode(eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1));
    if (!key)
      return tl::unexpected(key.error());
    if (!value)
      return tl::unexpected(value.error());
    out.params_.emplace(std::move(*key), std::move(*value));
  }
  return out;
}

std::optional<std::string_view> QueryParams::get(std::string_view key) const {
  auto it = params_.find(key);
  if (it == params_.end())
    return std::nullopt;
  return std::string_view(it->second);
}

Result<int64_t> QueryParams::get_int(std::string_view key, int64_t lo, int64_t hi) const {
  auto v = get(key);
  if (!v)
    return make_error(StatusCode::kInvalidArgument, fmt::format("missing parameter '{}'", key));
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || p != v->data() + v->size() || n < lo || n > hi)
    return make_error(
        StatusCode::kInvalidArgument,
        fmt::format("parameter '{}' = '{}' is not an integer in {}..{}", key, *v, lo, hi));
  return n;
}

}  // namespace pf::proto::gamestream
