// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/config/state_file.h"

#include <fmt/format.h>

#include "base/file_io.h"
#include "base/log.h"

namespace pf::host {

namespace fs = std::filesystem;
using Outcome = LoadedState::Outcome;

namespace {

Result<LoadedState> set_aside(const fs::path& file,
                              const proto::config::StateFormat& format,
                              const std::string& why,
                              std::string_view consequence) {
  auto to = move_aside(file);
  if (!to)
    return make_error(StatusCode::kDataLoss,
                      fmt::format("{} is damaged ({}) and could not be moved aside: {}",
                                  file.string(), why, to.error().message()));
  log_error("{} ({}) is damaged: {}. Moved it to {} and starting without it; {}.", file.string(),
            format.name, why, to->string(), consequence);
  LoadedState out;
  out.outcome = Outcome::kMovedAside;
  out.moved_to = *to;
  return out;
}

}  // namespace

Result<LoadedState> load_state(const fs::path& file,
                               const proto::config::StateFormat& format,
                               const std::function<Status(std::string_view)>& parse,
                               std::string_view consequence) {
  auto text = read_file(file, 16 << 20);
  if (!text) {
    if (text.error().code() == StatusCode::kNotFound)
      return LoadedState{};
    if (text.error().code() == StatusCode::kResourceExhausted)
      return set_aside(file, format, text.error().message(), consequence);
    return tl::unexpected(text.error());  // unreadable (permissions, I/O): the user must look
  }
  auto up = proto::config::upgrade_state(*text, format);
  if (!up) {
    if (up.error().code() == StatusCode::kDataLoss)
      return set_aside(file, format, up.error().message(), consequence);
    return make_error(up.error().code(),
                      fmt::format("{}: {}", file.string(), up.error().message()));
  }
  if (Status st = parse(up->text); !st.is_ok())
    return set_aside(file, format, st.message(), consequence);
  LoadedState out;
  out.text = std::move(up->text);
  if (up->from_version == format.current) {
    out.outcome = Outcome::kLoaded;
    return out;
  }
  // Keep the original first: if writing the upgrade fails, nothing is lost.
  out.old_version = file.string() + fmt::format(".v{}", up->from_version);
  if (Status st = write_file_atomic(out.old_version, *text, 0600); !st.is_ok())
    return tl::unexpected(st);
  if (Status st = write_file_atomic(file, out.text, 0600); !st.is_ok())
    return tl::unexpected(st);
  out.outcome = Outcome::kUpgraded;
  log_info("upgraded {} ({}) from format {} to {}; the old file is kept as {}", file.string(),
           format.name, up->from_version, format.current, out.old_version.string());
  return out;
}

}  // namespace pf::host
