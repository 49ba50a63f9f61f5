// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/config/host_config_edit.h"

#include <arpa/inet.h>

#include <algorithm>

#include <fmt/format.h>

#include "proto/config/host_config.h"

namespace pf::proto::config {

using Kind = KeySpec::Kind;

const std::vector<KeySpec>& host_config_keys() {
  static const std::vector<KeySpec> keys = {
      {"name", Kind::kName, {}},
      {"bind", Kind::kIpv4, {}},
      {"port", Kind::kPort, {}},
      {"native-port", Kind::kPort, {}},
      {"native-video-port", Kind::kPort, {}},
      {"mgmt-port", Kind::kPort, {}},
      {"mgmt-bind", Kind::kIpv4, {}},
      {"display-backend",
       Kind::kChoice,
       {"xvfb", "x11", "mutter", "mutter-headless", "kwin", "sway", "auto"}},
      {"native-source", Kind::kChoice, {"display", "synthetic"}},
      {"input", Kind::kChoice, {"auto", "uinput", "libei"}},
      {"audio-capture", Kind::kChoice, {"sink", "default-monitor"}},
      {"audio-default-sink", Kind::kBool, {}},
      {"max-sessions", Kind::kInteger, {}, 1, 64},
      {"session-linger", Kind::kInteger, {}, 0, 86400},
      {"mdns", Kind::kBool, {}},
      {"software-codecs", Kind::kBool, {}},
      {"log-level", Kind::kChoice, {"trace", "debug", "info", "warn", "error", "off"}},
  };
  return keys;
}

std::vector<std::string> host_config_key_names() {
  std::vector<std::string> out;
  for (const auto& k : host_config_keys())
    out.push_back(k.name);
  return out;
}

Status check_config_value(const KeySpec& key, std::string_view value) {
  const auto bad = [&](std::string_view want) {
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("{}: '{}' is not {}", key.name, value, want));
  };
  switch (key.kind) {
    case Kind::kName:
      if (value.empty() || value.size() > 64 || std::any_of(value.begin(), value.end(), [](char c) {
            return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
          }))
        return bad("a name of 1 to 64 bytes without control characters");
      return Status::ok();
    case Kind::kIpv4: {
      in_addr a{};
      const std::string s(value);
      return inet_pton(AF_INET, s.c_str(), &a) == 1 ? Status::ok() : bad("an IPv4 address");
    }
    case Kind::kPort: {
      if (value.empty() || value.size() > 5 ||
          value.find_first_not_of("0123456789") != std::string_view::npos ||
          std::stoul(std::string(value)) > 65535)
        return bad("a port number (0-65535)");
      return Status::ok();
    }
    case Kind::kBool:
      return value == "true" || value == "false" ? Status::ok() : bad("true or false");
    case Kind::kInteger:
      if (value.empty() || value.size() > 12 ||
          value.find_first_not_of("0123456789") != std::string_view::npos ||
          std::stoll(std::string(value)) < key.min || std::stoll(std::string(value)) > key.max)
        return bad(fmt::format("a whole number from {} to {}", key.min, key.max));
      return Status::ok();
    case Kind::kChoice:
      if (std::find(key.choices.begin(), key.choices.end(), value) != key.choices.end())
        return Status::ok();
      return bad(fmt::format("one of {}", fmt::join(key.choices, ", ")));
  }
  return bad("valid");
}

namespace {

std::string toml_literal(const KeySpec& key, const std::string& value) {
  if (key.kind == Kind::kPort || key.kind == Kind::kBool || key.kind == Kind::kInteger)
    return value;          // checked: digits, or true/false
  std::string out = "\"";  // a TOML basic string
  for (char c : value) {
    if (c == '"' || c == '\\')
      out += {'\\', c};
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      out += fmt::format("\\u{:04X}", static_cast<unsigned char>(c));
    else
      out += c;
  }
  return out + "\"";
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    lines.emplace_back(
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos)
      break;
    start = end + 1;
  }
  return lines;
}

}  // namespace

Result<std::string> edit_host_config(std::string_view text,
                                     std::string_view source,
                                     const std::vector<ConfigChange>& changes) {
  const auto names = host_config_key_names();
  auto entries = parse_host_config(text, source, names);
  if (!entries)
    return tl::unexpected(entries.error());
  // Check everything before touching anything.
  for (const auto& c : changes) {
    const auto& keys = host_config_keys();
    const auto spec =
        std::find_if(keys.begin(), keys.end(), [&](const KeySpec& k) { return k.name == c.key; });
    if (spec == keys.end()) {
      const std::string near = closest_key(c.key, names);
      return make_error(StatusCode::kInvalidArgument,
                        fmt::format("unknown key '{}'{}", c.key,
                                    near.empty() ? " (docs/configuration.md lists the keys)"
                                                 : fmt::format(" (did you mean '{}'?)", near)));
    }
    if (c.value)
      if (Status st = check_config_value(*spec, *c.value); !st.is_ok())
        return tl::unexpected(st);
  }
  std::vector<std::string> lines = split_lines(text);
  std::vector<bool> drop(lines.size(), false);
  std::vector<std::string> appended;
  for (const auto& c : changes) {
    const KeySpec& spec = *std::find_if(host_config_keys().begin(), host_config_keys().end(),
                                        [&](const KeySpec& k) { return k.name == c.key; });
    const auto at = std::find_if(entries->begin(), entries->end(),
                                 [&](const ConfigEntry& e) { return e.key == c.key; });
    const std::string line = c.value ? c.key + " = " + toml_literal(spec, *c.value) : "";
    if (at != entries->end() && at->line >= 1 && at->line <= lines.size()) {
      if (c.value)
        lines[at->line - 1] = line;
      else
        drop[at->line - 1] = true;
    } else if (c.value) {
      // A key set twice in one request: the last value wins.
      std::erase_if(appended, [&](const std::string& l) { return l.rfind(c.key + " = ", 0) == 0; });
      appended.push_back(line);
    }
  }
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i)
    if (!drop[i])
      out += lines[i] + "\n";
  for (const auto& l : appended)
    out += l + "\n";
  // A value that spanned several lines cannot be replaced line by line: the
  // result must read back as the same keys with the new values.
  auto check = parse_host_config(out, source, names);
  if (!check)
    return make_error(StatusCode::kFailedPrecondition,
                      fmt::format("{} cannot be edited line by line ({}); edit it by hand", source,
                                  check.error().message()));
  for (size_t i = 0; i < changes.size(); ++i) {
    const auto& c = changes[i];
    if (std::any_of(changes.begin() + static_cast<long>(i) + 1, changes.end(),
                    [&](const ConfigChange& later) { return later.key == c.key; }))
      continue;  // a later change of the same key wins
    const auto e = std::find_if(check->begin(), check->end(),
                                [&](const ConfigEntry& x) { return x.key == c.key; });
    if (c.value ? (e == check->end() || e->value != *c.value) : e != check->end())
      return make_error(StatusCode::kFailedPrecondition,
                        fmt::format("{} cannot be edited line by line; edit it by hand", source));
  }
  return out;
}

}  // namespace pf::proto::config
