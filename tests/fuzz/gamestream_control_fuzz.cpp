// SPDX-License-Identifier: MIT OR Apache-2.0
// Any bytes as a control-stream packet: the framing and tag check never
// crash; payload parsers handle anything; a correctly sealed message with a
// fuzzer-chosen type and payload always opens to the same message, and what
// the host decides to do with it (decide_control) fits the message's type.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "base/check.h"
#include "proto/gamestream/control.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pf::proto::gamestream;
  static const std::array<uint8_t, 16> key{1, 2, 3};
  const std::span<const uint8_t> in(data, size);
  ControlCipher host(key);
  (void)host.open(in);
  (void)parse_fec_status(in);
  (void)parse_invalidate_refs(in);
  (void)parse_hdr_mode(in);
  if (size >= 2 && size < 60000) {
    ControlCipher client(key);
    const ControlMessage m{static_cast<uint16_t>(data[0] | data[1] << 8),
                           std::vector<uint8_t>(data + 2, data + size)};
    const auto sealed = client.seal(m, false);
    auto back = host.open(sealed);
    PF_CHECK(back.has_value());
    PF_CHECK(back->type == m.type && back->payload == m.payload);
    // What the host then does with it (the dispatch after ENet).
    using Kind = ControlAction::Kind;
    const ControlAction a = decide_control(back->type, back->payload);
    const auto type = static_cast<ControlType>(back->type);
    switch (a.kind) {
      case Kind::kInvalidateRefs:
        PF_CHECK(type == ControlType::kInvalidateRefs && a.rfi.first <= a.rfi.last);
        break;
      case Kind::kKeyframe:
        PF_CHECK(type == ControlType::kRequestIdr || type == ControlType::kInvalidateRefs);
        break;
      case Kind::kInput:
        PF_CHECK(type == ControlType::kInput && a.payload.size() == back->payload.size());
        break;
      case Kind::kFecStatus:
        PF_CHECK(type == ControlType::kFecStatus);
        break;
      case Kind::kLiveness:
      case Kind::kUnknown:
        break;
    }
  }
  return 0;
}
