// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/native/held_input.h"

#include <gtest/gtest.h>

namespace pf::proto::native {
namespace {

InputDatagram ev(InputKind k, uint32_t code, uint32_t flags = 0) {
  return InputDatagram{static_cast<uint8_t>(k), code, 0, 0, flags};
}

TEST(HeldInputTest, ReleasesWhatIsStillDownOnce) {
  HeldInput h;
  h.observe(ev(InputKind::kKeyDown, 30));  // KEY_A
  h.observe(ev(InputKind::kKeyDown, 42));  // KEY_LEFTSHIFT
  h.observe(ev(InputKind::kKeyDown, 30));  // a repeat: still one key
  h.observe(ev(InputKind::kKeyUp, 30));
  h.observe(ev(InputKind::kButtonDown, 0x110));
  h.observe(ev(InputKind::kGamepadButton, (1u << 16) | 0x130, 1));
  h.observe(ev(InputKind::kMouseRelative, 0));
  EXPECT_EQ(h.held(), 3u);
  const auto up = h.release_all();
  ASSERT_EQ(up.size(), 3u);
  EXPECT_EQ(up[0], ev(InputKind::kKeyUp, 42));
  EXPECT_EQ(up[1], ev(InputKind::kButtonUp, 0x110));
  EXPECT_EQ(up[2], ev(InputKind::kGamepadButton, (1u << 16) | 0x130, 0));
  EXPECT_TRUE(h.release_all().empty());
}

TEST(HeldInputTest, IsBounded) {
  HeldInput h;
  for (uint32_t k = 0; k < 10000; ++k)
    h.observe(ev(InputKind::kKeyDown, k));
  EXPECT_EQ(h.held(), 256u);
}

}  // namespace
}  // namespace pf::proto::native
