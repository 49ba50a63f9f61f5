// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <string_view>

// The web page (web/index.html), built into the host at configure time so a
// running host needs no files beside its binary.
namespace pf::host::mgmt {

std::string_view web_index_html();

}  // namespace pf::host::mgmt
