// SPDX-License-Identifier: MIT OR Apache-2.0
// Any bytes from sway's IPC socket: the decoder yields bounded messages or
// stops with an error, and every reply parser answers or says why.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/check.h"
#include "proto/sway/ipc.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace sway = pf::proto::sway;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // The stream in two pieces, split by the first byte.
  sway::Decoder d;
  const size_t cut = size ? data[0] % (size + 1) : 0;
  d.feed(text.substr(0, cut));
  d.feed(text.substr(cut));
  for (int i = 0; i < 64; ++i) {
    auto m = d.next();
    if (!m || !*m)
      break;
    PF_CHECK((*m)->payload.size() <= sway::kMaxPayload);
  }
  if (auto outs = sway::parse_outputs(text))
    for (const auto& o : *outs)
      PF_CHECK(!o.name.empty());
  (void)sway::parse_command_reply(text);
  (void)sway::parse_version(text);
  if (auto cmd = sway::output_command(text.substr(0, 64), "disable"))
    PF_CHECK(cmd->find('\n') == std::string::npos);
  return 0;
}
