// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace pf::host::gamestream {

struct App {
  uint32_t id = 0;  // positive int32, stable across restarts
  std::string title;
  std::string command;  // run when launched; empty = just the desktop
  std::string image;    // box art PNG path; empty = a generated one
  bool hdr = false;
};

// The apps clients see (apps.toml in the config directory):
//
//   [[app]]
//   title = "Steam Big Picture"
//   command = "steam -gamepadui"   # optional
//   image = "/path/to/boxart.png"  # optional
//   id = 1093255277                # optional; default: derived from the title
//
// A missing file gives the built-in list: one "Desktop" app. Errors name the
// file, line and field.
class AppList {
 public:
  static AppList builtin();
  static Result<AppList> load(const std::filesystem::path& file);
  static Result<AppList> parse(std::string_view toml, std::string_view source_name);

  const std::vector<App>& apps() const { return apps_; }
  const App* find(uint32_t id) const;

 private:
  std::vector<App> apps_;
};

// A stable positive int32 from a title (FNV-1a, never 0).
uint32_t app_id_for(std::string_view title);

}  // namespace pf::host::gamestream
