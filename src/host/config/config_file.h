// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <filesystem>
#include <mutex>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "proto/config/host_config.h"
#include "proto/config/host_config_edit.h"

// host.toml as the management API reads and changes it: every update is one
// read-modify-write under a lock (two concurrent updates both land), written
// atomically with mode 0600 (a reader never sees half a file). Comments and
// keys the update does not name stay as they were. Changes apply at the
// host's next start. Thread-safe.
namespace pf::host {

class HostConfigFile {
 public:
  explicit HostConfigFile(std::filesystem::path file) : file_(std::move(file)) {}
  const std::filesystem::path& path() const { return file_; }

  // The file's entries (none if it does not exist).
  Result<std::vector<proto::config::ConfigEntry>> read();
  // kInvalidArgument: an unknown key or a bad value (nothing written);
  // kFailedPrecondition: the file on disk does not parse or cannot be edited
  // line by line. Returns the entries after the update.
  Result<std::vector<proto::config::ConfigEntry>> update(
      const std::vector<proto::config::ConfigChange>& changes);

 private:
  std::mutex mu_;
  std::filesystem::path file_;
};

// {"name": "x", "port": 47989, "mdns": false, ...}: each value as the JSON
// type of its kind (ports numbers, switches booleans, the rest strings).
nlohmann::json config_values_json(const std::vector<proto::config::ConfigEntry>& entries);
// The management API's Config object: {"file", "values", "applies"}.
nlohmann::json config_document(const std::filesystem::path& file,
                               const std::vector<proto::config::ConfigEntry>& entries);

}  // namespace pf::host
