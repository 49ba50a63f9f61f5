// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/mgmt/access.h"

#include <cstdint>

namespace pf::proto::mgmt {

namespace {

// Equal bytes without an early exit (the time says nothing about where they differ).
bool same_bytes(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  uint8_t diff = 0;
  for (size_t i = 0; i < a.size(); ++i)
    diff = static_cast<uint8_t>(diff | (static_cast<uint8_t>(a[i]) ^ static_cast<uint8_t>(b[i])));
  return diff == 0;
}

}  // namespace

MgmtAccess mgmt_access(std::string_view method,
                       std::string_view path,
                       std::string_view authorization,
                       std::string_view token) {
  if (method == "GET" && (path == "/" || path == "/index.html"))
    return MgmtAccess::kWebPage;
  constexpr std::string_view kScheme = "Bearer ";
  if (token.empty() || authorization.size() != kScheme.size() + token.size() ||
      !authorization.starts_with(kScheme))
    return MgmtAccess::kRefused;
  return same_bytes(authorization.substr(kScheme.size()), token) ? MgmtAccess::kApi
                                                                 : MgmtAccess::kRefused;
}

}  // namespace pf::proto::mgmt
