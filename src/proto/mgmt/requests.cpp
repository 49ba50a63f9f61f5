// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/mgmt/requests.h"

#include <nlohmann/json.hpp>

namespace pf::proto::mgmt {

Result<std::string> parse_gamestream_pin_request(std::string_view body) {
  const auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("pin") || !j["pin"].is_string())
    return make_error(StatusCode::kInvalidArgument, "expected a JSON object {\"pin\": \"1234\"}");
  std::string pin = j["pin"].get<std::string>();
  if (pin.size() != 4 || pin.find_first_not_of("0123456789") != std::string::npos)
    return make_error(StatusCode::kInvalidArgument, "a Moonlight PIN is 4 digits");
  return pin;
}

}  // namespace pf::proto::mgmt
