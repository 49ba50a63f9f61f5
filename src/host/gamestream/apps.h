// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
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

  // Adds an app (id 0: derived from the title); kInvalidArgument for an
  // empty title, kAlreadyExists for an id in use.
  Result<App> add(App app);
  // Removes the app with `id`; false if there is none.
  bool remove(uint32_t id);
  // apps.toml text that parse() reads back as this list.
  std::string to_toml() const;

 private:
  std::vector<App> apps_;
};

// The apps clients see, backed by apps.toml: re-read when the file changes
// (a hand edit, or another host process), changed by add/remove, which write
// the file atomically. A file that breaks while the host runs is reported and
// the last good list kept. Thread-safe.
class AppStore {
 public:
  // An error for a file that cannot be read or parsed (it is the user's
  // config: the host does not start on it).
  static Result<std::unique_ptr<AppStore>> open(const std::filesystem::path& file);
  // No file (tests).
  static std::unique_ptr<AppStore> fixed(AppList list);

  AppList list();
  Result<App> add(App app);
  // kNotFound if no app has `id`.
  Status remove(uint32_t id);

 private:
  AppStore() = default;
  void reload_if_changed_locked();
  Status save_locked();
  std::mutex mu_;
  std::filesystem::path file_;
  std::filesystem::file_time_type mtime_{};
  AppList list_;
};

// A stable positive int32 from a title (FNV-1a, never 0).
uint32_t app_id_for(std::string_view title);

}  // namespace pf::host::gamestream
