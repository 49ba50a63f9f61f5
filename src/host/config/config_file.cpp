// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/config/config_file.h"

#include <algorithm>

#include "base/file_io.h"
#include "base/log.h"

namespace pf::host {

namespace cfg = proto::config;

Result<std::vector<cfg::ConfigEntry>> HostConfigFile::read() {
  std::lock_guard lock(mu_);
  return cfg::load_host_config(file_, cfg::host_config_key_names());
}

Result<std::vector<cfg::ConfigEntry>> HostConfigFile::update(
    const std::vector<cfg::ConfigChange>& changes) {
  std::lock_guard lock(mu_);
  std::string text;
  if (auto t = read_file(file_, 1 << 20)) {
    text = std::move(*t);
  } else if (t.error().code() != StatusCode::kNotFound) {
    return tl::unexpected(t.error());
  }
  auto edited = cfg::edit_host_config(text, file_.string(), changes);
  if (!edited) {
    // A file that does not parse is the user's to fix, not a bad request.
    if (edited.error().message().rfind(file_.string() + ":", 0) == 0)
      return make_error(StatusCode::kFailedPrecondition, edited.error().message());
    return tl::unexpected(edited.error());
  }
  std::error_code ec;
  std::filesystem::create_directories(file_.parent_path(), ec);
  if (Status st = write_file_atomic(file_, *edited, 0600); !st.is_ok())
    return tl::unexpected(st);
  for (const auto& c : changes)
    log_info("config: {} {} in {} (applies at the next start)", c.key,
             c.value ? "= " + *c.value : std::string("removed"), file_.string());
  return cfg::parse_host_config(*edited, file_.string(), cfg::host_config_key_names());
}

nlohmann::json config_values_json(const std::vector<cfg::ConfigEntry>& entries) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& e : entries) {
    const auto& keys = cfg::host_config_keys();
    const auto spec = std::find_if(keys.begin(), keys.end(),
                                   [&](const cfg::KeySpec& k) { return k.name == e.key; });
    const auto kind = spec == keys.end() ? cfg::KeySpec::Kind::kName : spec->kind;
    if (kind == cfg::KeySpec::Kind::kPort &&
        e.value.find_first_not_of("0123456789") == std::string::npos && !e.value.empty() &&
        e.value.size() <= 5)
      out[e.key] = std::stoul(e.value);
    else if (kind == cfg::KeySpec::Kind::kBool && (e.value == "true" || e.value == "false"))
      out[e.key] = e.value == "true";
    else
      out[e.key] = e.value;
  }
  return out;
}

nlohmann::json config_document(const std::filesystem::path& file,
                               const std::vector<cfg::ConfigEntry>& entries) {
  return {{"file", file.string()},
          {"values", config_values_json(entries)},
          {"applies", "at the next start"}};
}

}  // namespace pf::host
