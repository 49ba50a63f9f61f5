// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/config/paths.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

namespace pf::host {

namespace fs = std::filesystem;

namespace {

fs::path env_dir(const char* var, const char* home_rel) {
  if (const char* v = std::getenv(var); v && *v == '/')
    return fs::path(v) / "punktfunk";
  const char* home = std::getenv("HOME");
  return fs::path(home && *home ? home : "/tmp") / home_rel / "punktfunk";
}

}  // namespace

Paths Paths::from_environment() {
  Paths p;
  p.state = env_dir("XDG_STATE_HOME", ".local/state");
  p.config = env_dir("XDG_CONFIG_HOME", ".config");
  if (const char* r = std::getenv("XDG_RUNTIME_DIR"); r && *r == '/')
    p.runtime = fs::path(r) / "punktfunk";
  else
    p.runtime = fs::path(fmt::format("/tmp/punktfunk-{}", getuid()));
  return p;
}

Status Paths::ensure() const {
  for (const auto& d : {state, config, runtime}) {
    std::error_code ec;
    fs::create_directories(d, ec);
    if (ec)
      return Status(StatusCode::kUnavailable,
                    fmt::format("cannot create {}: {}", d.string(), ec.message()));
    fs::permissions(d, fs::perms::owner_all, fs::perm_options::replace, ec);
  }
  return Status::ok();
}

}  // namespace pf::host
