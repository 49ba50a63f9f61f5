// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>

#include "base/status.h"

// Whole-file reads and atomic whole-file writes for small state files
// (identities, paired peers, settings). Thread model: free functions, safe
// from any thread; concurrent writers of one path race (last rename wins).
namespace pf {

// Writes `content` to `path` atomically: a temporary file in the same
// directory, fsync, rename. `mode` applies to the new file.
Status write_file_atomic(const std::filesystem::path& path,
                         std::string_view content,
                         unsigned mode = 0600);
// kNotFound if missing, kResourceExhausted above `max_bytes`.
Result<std::string> read_file(const std::filesystem::path& path, size_t max_bytes = 16 << 20);

// "20261125T215237Z": the current UTC time, for file names.
std::string utc_file_stamp();
// Renames a damaged `path` to "<path>.damaged-<stamp>" (with "-2", "-3", ...
// when that exists) in the same directory, so nothing is lost and the owner
// can start afresh. Returns the new path.
Result<std::filesystem::path> move_aside(const std::filesystem::path& path,
                                         const std::string& stamp = utc_file_stamp());
// Moves every existing file of `paths` aside with one stamp (a key and its
// certificate belong together); returns the new paths joined by ", ".
Result<std::string> move_aside_together(std::initializer_list<std::filesystem::path> paths);

}  // namespace pf
