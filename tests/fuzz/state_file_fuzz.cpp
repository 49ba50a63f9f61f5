// SPDX-License-Identifier: MIT OR Apache-2.0
// Any bytes as a state file (paired devices, paired Moonlight clients): an
// upgraded document or an error, never a crash; upgrading is idempotent and
// an upgraded peer list parses or is refused with an error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/check.h"
#include "proto/config/state_version.h"
#include "proto/native/peer_list.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace cfg = pf::proto::config;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const cfg::StateFormat* f : {&cfg::peer_list_format(), &cfg::gamestream_client_format()}) {
    auto up = cfg::upgrade_state(text, *f);
    if (!up)
      continue;
    PF_CHECK(up->from_version <= f->current);
    auto again = cfg::upgrade_state(up->text, *f);
    PF_CHECK(again && again->from_version == f->current && again->text == up->text);
    if (f == &cfg::peer_list_format())
      if (auto list = pf::proto::native::PeerList::parse(up->text))
        PF_CHECK(pf::proto::native::PeerList::parse(list->serialize()).has_value());
  }
  return 0;
}
