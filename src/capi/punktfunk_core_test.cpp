// SPDX-License-Identifier: MIT OR Apache-2.0
#include "punktfunk_core.h"

#include <cstring>
#include <string>

#include <gtest/gtest.h>

namespace {

TEST(CapiTest, VersionMatchesHeader) {
  EXPECT_EQ(punktfunk_abi_version(), PUNKTFUNK_ABI_VERSION);
  EXPECT_EQ(punktfunk_abi_version() >> 16, static_cast<uint32_t>(PUNKTFUNK_ABI_VERSION_MAJOR));
}

TEST(CapiTest, EveryStatusHasAString) {
  for (int s = PUNKTFUNK_STATUS_OK; s <= PUNKTFUNK_STATUS_CANCELLED; ++s) {
    std::string name = punktfunk_status_string(static_cast<PunktfunkStatus>(s));
    EXPECT_NE(name, "unknown") << s;
    EXPECT_FALSE(name.empty());
  }
  EXPECT_STREQ(punktfunk_status_string(static_cast<PunktfunkStatus>(999)), "unknown");
  EXPECT_STREQ(punktfunk_status_string(static_cast<PunktfunkStatus>(-1)), "unknown");
}

TEST(CapiTest, ConfigRoundTripThroughContext) {
  PunktfunkConfig c;
  std::memset(&c, 0xAB, sizeof(c));
  c.struct_size = sizeof(c);
  ASSERT_EQ(punktfunk_config_init(&c), PUNKTFUNK_STATUS_OK);
  EXPECT_EQ(c.reserved0, 0);
  c.width = 2560;
  c.height = 1440;
  c.fps_x100 = 14400;
  c.fec_percent = 35;
  PunktfunkContext* ctx = nullptr;
  ASSERT_EQ(punktfunk_context_create(&c, &ctx), PUNKTFUNK_STATUS_OK);
  PunktfunkConfig back;
  std::memset(&back, 0, sizeof(back));
  back.struct_size = sizeof(back);
  ASSERT_EQ(punktfunk_context_get_config(ctx, &back), PUNKTFUNK_STATUS_OK);
  EXPECT_EQ(std::memcmp(&c, &back, sizeof(c)), 0);
  punktfunk_context_destroy(ctx);
  punktfunk_context_destroy(nullptr);
}

TEST(CapiTest, RejectsBadArgumentsWithoutCrashing) {
  EXPECT_EQ(punktfunk_config_init(nullptr), PUNKTFUNK_STATUS_INVALID_ARGUMENT);
  PunktfunkConfig c{};
  c.struct_size = 4;  // too small to be any version of the struct
  EXPECT_EQ(punktfunk_config_init(&c), PUNKTFUNK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(punktfunk_config_validate(&c), PUNKTFUNK_STATUS_INVALID_ARGUMENT);
  c.struct_size = sizeof(c);
  ASSERT_EQ(punktfunk_config_init(&c), PUNKTFUNK_STATUS_OK);
  c.shard_bytes = 1000;
  EXPECT_EQ(punktfunk_config_validate(&c), PUNKTFUNK_STATUS_INVALID_ARGUMENT);
  PunktfunkContext* ctx = reinterpret_cast<PunktfunkContext*>(&c);
  EXPECT_EQ(punktfunk_context_create(&c, &ctx), PUNKTFUNK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(ctx, nullptr);
  EXPECT_EQ(punktfunk_context_create(&c, nullptr), PUNKTFUNK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(punktfunk_context_get_config(nullptr, &c), PUNKTFUNK_STATUS_INVALID_ARGUMENT);
}

// Since 0.6 a config asks for capabilities (the Hello's bits): the known ones
// validate, an unknown one is refused, and a caller compiled before 0.6 (a
// struct that ends before the field) asks for none, whatever lies after its struct.
TEST(CapiTest, CapabilitiesAreCheckedAndOlderCallersAskForNone) {
  PunktfunkConfig c;
  std::memset(&c, 0, sizeof(c));
  c.struct_size = sizeof(c);
  ASSERT_EQ(punktfunk_config_init(&c), PUNKTFUNK_STATUS_OK);
  EXPECT_EQ(c.capabilities, 0u);
  c.capabilities = PUNKTFUNK_CAPABILITY_CURSOR_CHANNEL | PUNKTFUNK_CAPABILITY_VIDEO_10BIT |
                   PUNKTFUNK_CAPABILITY_CHROMA_444 | PUNKTFUNK_CAPABILITY_HDR;
  EXPECT_EQ(punktfunk_config_validate(&c), PUNKTFUNK_STATUS_OK);
  c.capabilities = 0x10;
  EXPECT_EQ(punktfunk_config_validate(&c), PUNKTFUNK_STATUS_INVALID_ARGUMENT);
  c.capabilities = 0xffffffffu;  // what an older caller's memory may hold past its struct
  c.struct_size = offsetof(PunktfunkConfig, capabilities);
  EXPECT_EQ(punktfunk_config_validate(&c), PUNKTFUNK_STATUS_OK);
  PunktfunkContext* ctx = nullptr;
  ASSERT_EQ(punktfunk_context_create(&c, &ctx), PUNKTFUNK_STATUS_OK);
  PunktfunkConfig back;
  std::memset(&back, 0, sizeof(back));
  back.struct_size = sizeof(back);
  ASSERT_EQ(punktfunk_context_get_config(ctx, &back), PUNKTFUNK_STATUS_OK);
  EXPECT_EQ(back.capabilities, 0u);
  punktfunk_context_destroy(ctx);
}

// A caller compiled against a larger, future struct keeps its trailing bytes.
TEST(CapiTest, LargerCallerStructKeepsTrailingFields) {
  struct Future {
    PunktfunkConfig base;
    uint32_t future_field;
  } f;
  std::memset(&f, 0, sizeof(f));
  f.base.struct_size = sizeof(f);
  f.future_field = 0xfeedbeef;
  ASSERT_EQ(punktfunk_config_init(&f.base), PUNKTFUNK_STATUS_OK);
  EXPECT_EQ(f.base.struct_size, sizeof(f));
  EXPECT_EQ(f.future_field, 0xfeedbeefu);
  EXPECT_EQ(punktfunk_config_validate(&f.base), PUNKTFUNK_STATUS_OK);
}

}  // namespace
