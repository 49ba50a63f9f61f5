// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/config/toml_text.h"

#include <fmt/format.h>

namespace pf::proto::config {

Result<toml::table> parse_toml(std::string_view text, std::string_view source) {
  try {
    return toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return make_error(StatusCode::kInvalidArgument,
                      fmt::format("{}:{}: {}", source, e.source().begin.line, e.description()));
  }
}

}  // namespace pf::proto::config
