// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

// The keys of host.toml with the kind of value each takes, and edits of the
// file that keep everything else in it (comments, order, other keys): the
// management API's config update. Values are checked here as a user would
// expect from docs/configuration.md; the host checks them again with its
// option parser when it starts. Thread model: free functions on values.
namespace pf::proto::config {

struct KeySpec {
  enum class Kind { kName, kIpv4, kPort, kBool, kChoice, kInteger };
  std::string name;
  Kind kind;
  std::vector<std::string> choices;  // kChoice
  int64_t min = 0, max = 0;          // kInteger, inclusive
};

// Every key of host.toml (docs/configuration.md), in the documented order.
const std::vector<KeySpec>& host_config_keys();
std::vector<std::string> host_config_key_names();

// kInvalidArgument with a sentence naming the key when `value` (its text:
// "47989", "true", "living room") is not one the key takes.
Status check_config_value(const KeySpec& key, std::string_view value);

struct ConfigChange {
  std::string key;
  std::optional<std::string> value;  // nullopt: remove the key (its default applies)
};

// Applies `changes` to host.toml `text` (which must parse): a key's line is
// replaced in place, a new key appended, a removed key's line dropped. Each
// value is written as the kind its key takes (ports as numbers, switches as
// true/false, the rest as quoted strings). kInvalidArgument names the first
// unknown key (with the nearest known one) or bad value; nothing is applied
// then.
Result<std::string> edit_host_config(std::string_view text,
                                     std::string_view source,
                                     const std::vector<ConfigChange>& changes);

}  // namespace pf::proto::config
