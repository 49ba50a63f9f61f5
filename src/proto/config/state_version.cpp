// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/config/state_version.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace pf::proto::config {

Result<UpgradedState> upgrade_state(std::string_view text, const StateFormat& format) {
  auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object())
    return make_error(StatusCode::kDataLoss, "not a JSON object");
  int version = 0;
  if (doc.contains("version")) {
    const auto& v = doc["version"];
    if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > 1'000'000)
      return make_error(StatusCode::kDataLoss, "\"version\" is not a format number");
    version = static_cast<int>(v.get<int64_t>());
  }
  if (version > format.current)
    return make_error(StatusCode::kFailedPrecondition,
                      fmt::format("{} in format {}, written by a newer punktfunk (this one reads "
                                  "up to format {}); upgrade punktfunk or move the file away",
                                  format.name, version, format.current));
  if (version == format.current)
    return UpgradedState{std::string(text), version};
  if (format.upgrades.size() != static_cast<size_t>(format.current))
    return make_error(StatusCode::kInternal, format.name + ": the upgrade chain is incomplete");
  for (int v = version; v < format.current; ++v)
    format.upgrades[static_cast<size_t>(v)](doc);
  doc["version"] = format.current;
  return UpgradedState{doc.dump(2) + "\n", version};
}

const StateFormat& peer_list_format() {
  // 0: {"peers": [...]} as written before state files carried versions; 1 adds "version".
  static const StateFormat f{"paired punktfunk devices", 1, {[](nlohmann::json&) {}}};
  return f;
}

const StateFormat& gamestream_client_format() {
  // 1 has always carried "version"; a file without it is read as the same layout.
  static const StateFormat f{"paired Moonlight clients", 1, {[](nlohmann::json&) {}}};
  return f;
}

}  // namespace pf::proto::config
