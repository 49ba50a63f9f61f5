// SPDX-License-Identifier: MIT OR Apache-2.0
// Any bytes as a sequence of GameStream input packets (split at 0xFF 0xFE):
// translation never crashes, absolute coordinates (touch, touchpads) stay
// within 0..65535, pad numbers below 16, motion values bounded, and
// release_all() leaves nothing held.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "base/check.h"
#include "proto/gamestream/input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pf::proto::gamestream;
  using pf::proto::native::InputKind;
  InputTranslator t;
  size_t start = 0;
  for (size_t i = 0; i <= size; ++i) {
    if (i + 1 < size && data[i] == 0xFF && data[i + 1] == 0xFE) {
      for (const auto& e : t.translate(std::span<const uint8_t>(data + start, i - start))) {
        if (e.kind == static_cast<uint8_t>(InputKind::kMouseAbsolute) ||
            e.kind == static_cast<uint8_t>(InputKind::kTouch) ||
            e.kind == static_cast<uint8_t>(InputKind::kGamepadTouchpad) ||
            e.kind == static_cast<uint8_t>(InputKind::kPen))
          PF_CHECK(e.x >= 0 && e.x <= 65535 && e.y >= 0 && e.y <= 65535);
        if (e.kind == static_cast<uint8_t>(InputKind::kGamepadTouchpad))
          PF_CHECK((e.code & 0xFFFF) <= 1 && e.flags <= 2);
        if (e.kind == static_cast<uint8_t>(InputKind::kGamepadMotion))  // within ±1e6 units
          PF_CHECK(e.x >= -1'000'000'000 && e.x <= 1'000'000'000);
        if (e.kind >= static_cast<uint8_t>(InputKind::kGamepadArrival) &&
            e.kind <= static_cast<uint8_t>(InputKind::kGamepadTouchpad))
          PF_CHECK((e.code >> 16) < 16);
      }
      start = i + 2;
      ++i;
    }
  }
  (void)t.translate(
      std::span<const uint8_t>(data + std::min(start, size), size - std::min(start, size)));
  (void)t.release_all();
  PF_CHECK(t.release_all().empty());
  return 0;
}
