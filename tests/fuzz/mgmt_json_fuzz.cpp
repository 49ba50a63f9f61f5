// SPDX-License-Identifier: MIT OR Apache-2.0
// Any bytes as the management API's input (the JSON bodies of POST
// /api/v1/pairing/gamestream-pin and the PATCH renames, the ?lines= of the log
// tail): an error or a value within its bounds, never a crash; and the door before every route
// (mgmt_access): only the exact token opens the API.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/check.h"
#include "proto/mgmt/access.h"
#include "proto/mgmt/requests.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto pin = pf::proto::mgmt::parse_gamestream_pin_request(
      std::string_view(reinterpret_cast<const char*>(data), size));
  if (pin)
    PF_CHECK(pin->size() == 4 && pin->find_first_not_of("0123456789") == std::string::npos);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto name = pf::proto::mgmt::parse_rename_request(text))
    PF_CHECK(!name->empty() && name->size() <= 64);
  if (auto app = pf::proto::mgmt::parse_app_request(text))
    PF_CHECK(!app->title.empty() && app->title.size() <= 100 && app->command.size() <= 4096 &&
             (app->image.empty() || app->image[0] == '/'));
  if (auto changes = pf::proto::mgmt::parse_config_patch(text)) {
    PF_CHECK(changes->size() <= 32);
    // Whatever the request holds, an edit of a config either applies or says why.
    (void)pf::proto::config::edit_host_config("port = 1\n# c\n", "fuzz.toml", *changes);
  }
  if (auto lines = pf::proto::mgmt::parse_log_lines(text))
    PF_CHECK(*lines >= 1 && *lines <= 1000);
  // The door before every route: the input split into method, path and Authorization header.
  const size_t a = text.find('\n'), b = a == std::string_view::npos ? a : text.find('\n', a + 1);
  const std::string_view method = text.substr(0, a);
  const std::string_view path = a == std::string_view::npos ? "" : text.substr(a + 1, b - a - 1);
  const std::string_view auth = b == std::string_view::npos ? "" : text.substr(b + 1);
  using pf::proto::mgmt::MgmtAccess;
  const std::string_view token = "fuzz-token-0123456789";
  switch (pf::proto::mgmt::mgmt_access(method, path, auth, token)) {
    case MgmtAccess::kWebPage:
      PF_CHECK(method == "GET" && (path == "/" || path == "/index.html"));
      break;
    case MgmtAccess::kApi:
      PF_CHECK(auth == "Bearer fuzz-token-0123456789");
      break;
    case MgmtAccess::kRefused:
      PF_CHECK(auth != "Bearer fuzz-token-0123456789");
      break;
  }
  return 0;
}
