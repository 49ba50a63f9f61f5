// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/status.h"

// Format versions of the JSON state files (paired clients and devices, ...).
// Every such file carries a top-level "version"; a file without one was
// written before punktfunk versioned its state and is version 0. A newer build
// upgrades older documents step by step; an older build refuses a newer
// document instead of guessing (and instead of overwriting it).
// Thread model: free functions on values.
namespace pf::proto::config {

struct StateFormat {
  std::string name;  // what the file holds, for messages ("paired punktfunk devices")
  int current = 1;   // the version this build reads and writes
  // upgrades[n] turns a version-n document into version n+1 (it need not
  // touch "version"); size() == current.
  std::vector<std::function<void(nlohmann::json&)>> upgrades;
};

struct UpgradedState {
  std::string text;      // the document at `current` (the input itself when it was current)
  int from_version = 0;  // what the file was
};

// kDataLoss when `text` is not a JSON object or its "version" is not a
// non-negative integer; kFailedPrecondition when it is newer than `current`.
Result<UpgradedState> upgrade_state(std::string_view text, const StateFormat& format);

// The formats of the state files. Bump `current` and append an upgrade when a
// file's layout changes.
const StateFormat& peer_list_format();          // native-clients.json, a client's hosts.json
const StateFormat& gamestream_client_format();  // clients.json

}  // namespace pf::proto::config
