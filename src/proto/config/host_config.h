// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

// The host's configuration file (`host.toml` in the config directory) and
// `--set key=value`: a flat table whose keys are the run options' long names
// (`name`, `port`, `display-backend`, ...; docs/configuration.md). This part
// only reads and checks names; each value is then given to the option it
// names, which checks it. Unknown keys are errors with the file, the line and
// the closest known key.
// Thread model: free functions.
namespace pf::proto::config {

struct ConfigEntry {
  std::string key;
  std::string value;   // as it would be written on the command line
  std::string origin;  // "…/host.toml:12" or "--set"
  uint32_t line = 0;   // in the file; 0 for --set
};

// A missing file is no entries; a damaged one, an unknown key or a value that
// is not a string, number or true/false is kInvalidArgument with file:line.
Result<std::vector<ConfigEntry>> load_host_config(const std::filesystem::path& file,
                                                  const std::vector<std::string>& known_keys);
Result<std::vector<ConfigEntry>> parse_host_config(std::string_view text,
                                                   std::string_view source,
                                                   const std::vector<std::string>& known_keys);
// "key=value" from --set.
Result<ConfigEntry> parse_set_option(std::string_view key_value,
                                     const std::vector<std::string>& known_keys);
// The known key nearest to `key` (edit distance <= 3), or "".
std::string closest_key(std::string_view key, const std::vector<std::string>& known_keys);

}  // namespace pf::proto::config
