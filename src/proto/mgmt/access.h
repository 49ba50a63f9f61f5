// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <string_view>

// Who gets past the management API's door, decided before any route (sans-I/O, so a fuzz
// target can drive it): the web page itself (GET / or /index.html) holds no data and is served
// to anyone; everything else needs the header "Authorization: Bearer <token>" exactly, compared
// in constant time. An empty token lets nobody in. Thread model: free function.
namespace pf::proto::mgmt {

enum class MgmtAccess { kWebPage, kApi, kRefused };

MgmtAccess mgmt_access(std::string_view method,
                       std::string_view path,
                       std::string_view authorization,
                       std::string_view token);

}  // namespace pf::proto::mgmt
