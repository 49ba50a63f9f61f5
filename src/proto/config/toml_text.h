// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <string_view>

#include <toml++/toml.h>

#include "base/status.h"

// TOML text (host.toml, apps.toml) into a table; a syntax error is
// kInvalidArgument naming "source:line: what". Thread model: a free function.
namespace pf::proto::config {

Result<toml::table> parse_toml(std::string_view text, std::string_view source);

}  // namespace pf::proto::config
