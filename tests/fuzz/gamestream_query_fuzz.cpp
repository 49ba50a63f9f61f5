// SPDX-License-Identifier: MIT OR Apache-2.0
// Any bytes as an nvhttp query string: parse must not crash; whatever parses
// goes through the /launch and /resume parameter checks.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/check.h"
#include "proto/gamestream/launch.h"
#include "proto/gamestream/query.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pf::proto::gamestream;
  auto q = QueryParams::parse(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!q)
    return 0;
  PF_CHECK(q->size() <= QueryParams::kMaxParams);
  for (bool resume : {false, true}) {
    auto r = parse_launch(*q, resume);
    if (r) {
      PF_CHECK(r->audio_channels == 2 || r->audio_channels == 6 || r->audio_channels == 8);
      PF_CHECK(resume || (r->width > 0 && r->height > 0 && r->app_id > 0));
    }
  }
  return 0;
}
