// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/config/host_config.h"

#include <algorithm>

#include <fmt/format.h>

#include "base/file_io.h"
#include "proto/config/toml_text.h"

namespace pf::proto::config {
namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

Status unknown_key(std::string_view where,
                   std::string_view key,
                   const std::vector<std::string>& known) {
  const std::string near = closest_key(key, known);
  return Status(StatusCode::kInvalidArgument,
                fmt::format("{}: unknown key '{}'{}", where, key,
                            near.empty() ? " (docs/configuration.md lists the keys)"
                                         : fmt::format(" (did you mean '{}'?)", near)));
}

}  // namespace

std::string closest_key(std::string_view key, const std::vector<std::string>& known_keys) {
  std::string best;
  size_t best_d = 4;
  for (const auto& k : known_keys)
    if (const size_t d = edit_distance(key, k); d < best_d) {
      best_d = d;
      best = k;
    }
  return best;
}

Result<std::vector<ConfigEntry>> parse_host_config(std::string_view text,
                                                   std::string_view source,
                                                   const std::vector<std::string>& known_keys) {
  auto t = parse_toml(text, source);
  if (!t)
    return tl::unexpected(t.error());
  std::vector<ConfigEntry> out;
  for (auto&& [k, node] : *t) {
    const std::string key(k.str());
    const std::string where = fmt::format("{}:{}", source, node.source().begin.line);
    if (std::find(known_keys.begin(), known_keys.end(), key) == known_keys.end())
      return tl::unexpected(unknown_key(where, key, known_keys));
    std::string value;
    if (auto s = node.value<std::string>(); s && node.is_string())
      value = *s;
    else if (node.is_integer())
      value = std::to_string(*node.value<int64_t>());
    else if (node.is_boolean())
      value = *node.value<bool>() ? "true" : "false";
    else
      return make_error(
          StatusCode::kInvalidArgument,
          fmt::format("{}: '{}' must be a string, a whole number or true/false", where, key));
    out.push_back({key, value, where, node.source().begin.line});
  }
  // In file order (toml++ keeps keys sorted): errors name the first bad line.
  std::sort(out.begin(), out.end(),
            [](const ConfigEntry& a, const ConfigEntry& b) { return a.line < b.line; });
  return out;
}

Result<std::vector<ConfigEntry>> load_host_config(const std::filesystem::path& file,
                                                  const std::vector<std::string>& known_keys) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec))
    return std::vector<ConfigEntry>{};
  auto text = read_file(file);
  if (!text)
    return tl::unexpected(text.error());
  return parse_host_config(*text, file.string(), known_keys);
}

Result<ConfigEntry> parse_set_option(std::string_view key_value,
                                     const std::vector<std::string>& known_keys) {
  const size_t eq = key_value.find('=');
  if (eq == std::string_view::npos || eq == 0)
    return make_error(StatusCode::kInvalidArgument,
                      fmt::format("--set {}: expected key=value", key_value));
  const std::string key(key_value.substr(0, eq));
  if (std::find(known_keys.begin(), known_keys.end(), key) == known_keys.end())
    return tl::unexpected(unknown_key("--set", key, known_keys));
  return ConfigEntry{key, std::string(key_value.substr(eq + 1)), "--set", 0};
}

}  // namespace pf::proto::config
