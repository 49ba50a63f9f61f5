// SPDX-License-Identifier: MIT OR Apache-2.0
// A client's input datagrams (any bytes, 17 to a datagram body) through HeldInput
// (proto/native/held_input), which the host uses to let go of everything a client still holds when
// its session ends: tracking stays bounded (256 of each kind), and release_all() lets go of exactly
// what was pressed and not released — each once, as an up event — and forgets it.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <set>
#include <span>
#include <tuple>
#include <variant>

#include "base/check.h"
#include "proto/native/datagrams.h"
#include "proto/native/held_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pf::proto::native;
  HeldInput held;
  // A model of the same: what is down, by kind (0 keys, 1 buttons, 2 pad).
  std::set<std::pair<int, uint32_t>> down;
  // Every 17 bytes are an input datagram's body (after its tag).
  for (size_t i = 0; i + 17 <= size; i += 17) {
    std::array<uint8_t, 18> bytes{};
    bytes[0] = static_cast<uint8_t>(DatagramTag::kInput);
    std::copy(data + i, data + i + 17, bytes.begin() + 1);
    auto d = decode_datagram(bytes);
    if (!d || !std::holds_alternative<InputDatagram>(*d))
      continue;
    const auto& e = std::get<InputDatagram>(*d);
    held.observe(e);
    const auto count = [&](int kind) {
      return std::count_if(down.begin(), down.end(),
                           [&](const auto& p) { return p.first == kind; });
    };
    switch (static_cast<InputKind>(e.kind)) {
      case InputKind::kKeyDown:
        if (count(0) < 256)
          down.insert({0, e.code});
        break;
      case InputKind::kKeyUp:
        down.erase({0, e.code});
        break;
      case InputKind::kButtonDown:
        if (count(1) < 256)
          down.insert({1, e.code});
        break;
      case InputKind::kButtonUp:
        down.erase({1, e.code});
        break;
      case InputKind::kGamepadButton:
        if (!(e.flags & 1))
          down.erase({2, e.code});
        else if (count(2) < 256)
          down.insert({2, e.code});
        break;
      default:
        break;
    }
    PF_CHECK(held.held() == down.size());
    PF_CHECK(held.held() <= 3 * 256);
  }
  std::set<std::pair<int, uint32_t>> released;
  for (const auto& e : held.release_all()) {
    PF_CHECK(is_release(e));
    const int kind = e.kind == static_cast<uint8_t>(InputKind::kKeyUp)      ? 0
                     : e.kind == static_cast<uint8_t>(InputKind::kButtonUp) ? 1
                                                                            : 2;
    PF_CHECK(released.insert({kind, e.code}).second);  // each once
  }
  PF_CHECK(released == down);
  PF_CHECK(held.held() == 0 && held.release_all().empty());
  return 0;
}
