// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "proto/config/state_version.h"

// Loading the host's versioned JSON state files (paired clients and devices)
// so that an upgrade or a damaged file never costs the user anything else:
// - older format: upgraded in place (written atomically, mode 0600); the old
//   file is kept next to it as "<file>.v<N>" until the user removes it;
// - damaged (not JSON, a broken "version", or refused by the caller's own
//   parser): moved aside to "<file>.damaged-<UTC stamp>" with an error in the
//   log, and the caller starts that one file afresh; other files are untouched;
// - newer format (a downgrade): an error; the file is left as it is.
// Thread model: free functions; callers serialize access to one file.
namespace pf::host {

struct LoadedState {
  enum class Outcome { kMissing, kLoaded, kUpgraded, kMovedAside };
  Outcome outcome = Outcome::kMissing;
  std::string text;                   // the current-format document (kLoaded, kUpgraded)
  std::filesystem::path moved_to;     // kMovedAside: where the damaged file went
  std::filesystem::path old_version;  // kUpgraded: the kept original
};

// `parse` is the owner's parser: a document it refuses counts as damaged.
// `consequence` finishes the log line for a damaged file ("clients paired in
// it have to pair again").
Result<LoadedState> load_state(const std::filesystem::path& file,
                               const proto::config::StateFormat& format,
                               const std::function<Status(std::string_view)>& parse,
                               std::string_view consequence);

}  // namespace pf::host
