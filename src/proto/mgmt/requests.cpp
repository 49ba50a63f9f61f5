// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/mgmt/requests.h"

#include <nlohmann/json.hpp>

namespace pf::proto::mgmt {

Result<std::string> parse_gamestream_pin_request(std::string_view body) {
  const auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("pin") || !j["pin"].is_string())
    return make_error(StatusCode::kInvalidArgument, "expected a JSON object {\"pin\": \"1234\"}");
  std::string pin = j["pin"].get<std::string>();
  if (pin.size() != 4 || pin.find_first_not_of("0123456789") != std::string::npos)
    return make_error(StatusCode::kInvalidArgument, "a Moonlight PIN is 4 digits");
  return pin;
}

Result<std::string> parse_rename_request(std::string_view body) {
  const auto j = nlohmann::json::parse(body, nullptr, false);  // invalid UTF-8 is discarded too
  if (j.is_discarded() || !j.is_object() || !j.contains("name") || !j["name"].is_string())
    return make_error(StatusCode::kInvalidArgument, "expected a JSON object {\"name\": \"...\"}");
  std::string name = j["name"].get<std::string>();
  const auto first = name.find_first_not_of(' ');
  name =
      first == std::string::npos ? "" : name.substr(first, name.find_last_not_of(' ') - first + 1);
  if (name.empty() || name.size() > 64)
    return make_error(StatusCode::kInvalidArgument, "a name is 1 to 64 bytes");
  for (char c : name)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return make_error(StatusCode::kInvalidArgument, "a name cannot hold control characters");
  return name;
}

namespace {
bool has_control(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return true;
  return false;
}
}  // namespace

Result<AppRequest> parse_app_request(std::string_view body) {
  const auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return make_error(StatusCode::kInvalidArgument,
                      "expected a JSON object {\"title\": \"...\", \"command\": \"...\"}");
  for (const auto& [key, value] : j.items()) {
    if (key != "title" && key != "command" && key != "image" && key != "hdr")
      return make_error(StatusCode::kInvalidArgument,
                        "unknown field '" + key + "' (title, command, image, hdr)");
    if (key == "hdr" ? !value.is_boolean() : !value.is_string())
      return make_error(StatusCode::kInvalidArgument,
                        key == "hdr" ? "hdr is true or false" : key + " is a string");
  }
  AppRequest a;
  a.title = j.value("title", "");
  a.command = j.value("command", "");
  a.image = j.value("image", "");
  a.hdr = j.value("hdr", false);
  if (a.title.empty() || a.title.size() > 100)
    return make_error(StatusCode::kInvalidArgument, "an app's title is 1 to 100 bytes");
  if (a.command.size() > 4096 || a.image.size() > 4096)
    return make_error(StatusCode::kInvalidArgument, "command and image are at most 4096 bytes");
  if (has_control(a.title) || has_control(a.command) || has_control(a.image))
    return make_error(StatusCode::kInvalidArgument, "no control characters, please");
  if (!a.image.empty() && a.image.front() != '/')
    return make_error(StatusCode::kInvalidArgument, "image is an absolute path to a PNG file");
  return a;
}

Result<std::vector<config::ConfigChange>> parse_config_patch(std::string_view body) {
  const auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("values") || !j["values"].is_object())
    return make_error(StatusCode::kInvalidArgument,
                      "expected a JSON object {\"values\": {\"key\": value, ...}}");
  if (j["values"].size() > 32)
    return make_error(StatusCode::kInvalidArgument, "at most 32 keys at once");
  std::vector<config::ConfigChange> out;
  for (const auto& [key, v] : j["values"].items()) {
    config::ConfigChange c{key, std::nullopt};
    if (v.is_string())
      c.value = v.get<std::string>();
    else if (v.is_boolean())
      c.value = v.get<bool>() ? "true" : "false";
    else if (v.is_number_integer())
      c.value = std::to_string(v.get<int64_t>());
    else if (!v.is_null())
      return make_error(StatusCode::kInvalidArgument,
                        key + ": a value is a string, a whole number, true/false or null");
    out.push_back(std::move(c));
  }
  return out;
}

Result<size_t> parse_log_lines(std::string_view value) {
  if (value.empty())
    return size_t{100};
  size_t n = 0;
  for (char c : value) {
    if (c < '0' || c > '9' || n > 1000)
      return make_error(StatusCode::kInvalidArgument, "lines is a number from 1 to 1000");
    n = n * 10 + static_cast<size_t>(c - '0');
  }
  if (n < 1 || n > 1000)
    return make_error(StatusCode::kInvalidArgument, "lines is a number from 1 to 1000");
  return n;
}

}  // namespace pf::proto::mgmt
