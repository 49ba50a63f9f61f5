// SPDX-License-Identifier: MIT OR Apache-2.0
// Any bytes as host.toml, and as a --set argument: entries of known keys with
// their lines, or an error; never a crash.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/check.h"
#include "proto/config/host_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<std::string> keys = {"name", "port", "display-backend", "mdns"};
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto r = pf::proto::config::parse_host_config(text, "fuzz.toml", keys))
    for (const auto& e : *r)
      PF_CHECK(std::find(keys.begin(), keys.end(), e.key) != keys.end() && e.line > 0);
  if (auto s = pf::proto::config::parse_set_option(text, keys))
    PF_CHECK(std::find(keys.begin(), keys.end(), s->key) != keys.end());
  return 0;
}
