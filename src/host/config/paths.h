// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "base/file_io.h"
#include "base/status.h"

// Where the host keeps things (XDG base directories, each with a
// "punktfunk" subfolder): identity and paired clients under the state
// directory, apps.toml under the config directory, the control socket under
// the runtime directory. Each can be overridden (tests, several hosts).
namespace pf::host {

struct Paths {
  std::filesystem::path state;    // $XDG_STATE_HOME/punktfunk or ~/.local/state/punktfunk
  std::filesystem::path config;   // $XDG_CONFIG_HOME/punktfunk or ~/.config/punktfunk
  std::filesystem::path runtime;  // $XDG_RUNTIME_DIR/punktfunk or /tmp/punktfunk-<uid>

  static Paths from_environment();
  // Creates the directories (mode 0700). kPermissionDenied etc. with the path.
  Status ensure() const;
  std::filesystem::path control_socket() const { return runtime / "control.sock"; }
};

// The file helpers moved to base/file_io.h; host code keeps calling them unqualified.
using pf::read_file;
using pf::write_file_atomic;

}  // namespace pf::host
