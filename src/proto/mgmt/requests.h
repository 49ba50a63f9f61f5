// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "proto/config/host_config_edit.h"

// Request bodies of the management REST API (docs/api/openapi.yaml), parsed
// sans-I/O so a fuzz target can drive them. Thread model: free functions.
namespace pf::proto::mgmt {

// POST /api/v1/pairing/gamestream-pin: {"pin": "1234"} -> the PIN, or
// kInvalidArgument with the sentence the API answers with (400).
Result<std::string> parse_gamestream_pin_request(std::string_view body);

// PATCH /api/v1/devices/{id}, /api/v1/gamestream-clients/{id}: {"name": "..."}
// -> the new name: 1-64 bytes of UTF-8 without control characters, trimmed.
Result<std::string> parse_rename_request(std::string_view body);

// POST /api/v1/apps: {"title": "...", "command": "...", "image": "/abs/path.png",
// "hdr": false}; only the title is required (1-100 bytes), the command is at
// most 4096 bytes, the image an absolute path; no control characters.
struct AppRequest {
  std::string title, command, image;
  bool hdr = false;
};
Result<AppRequest> parse_app_request(std::string_view body);

// PATCH /api/v1/config: {"values": {"name": "den", "port": 48000, "mdns": false,
// "bind": null}} -> the changes (null removes a key: its default applies).
// Strings, whole numbers and true/false; at most 32 keys. The keys and
// values are checked against host.toml's keys by proto/config.
Result<std::vector<config::ConfigChange>> parse_config_patch(std::string_view body);

// GET /api/v1/logs?lines=N: N in 1-1000; "" (no parameter) is 100.
Result<size_t> parse_log_lines(std::string_view value);

}  // namespace pf::proto::mgmt
