// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdlib>
#include <string>
#include <vector>

namespace pf::host {

// What an app on a compositor's output needs: the compositor's own session
// (the host's WAYLAND_DISPLAY and DISPLAY), as it would on the desktop.
inline std::vector<std::string> compositor_app_environment() {
  std::vector<std::string> env;
  for (const char* name : {"WAYLAND_DISPLAY", "DISPLAY"})
    if (const char* v = std::getenv(name))
      env.push_back(std::string(name) + "=" + v);
  return env;
}

}  // namespace pf::host
