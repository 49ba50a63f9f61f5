// SPDX-License-Identifier: MIT OR Apache-2.0
#include "base/hex.h"

#include <gtest/gtest.h>

namespace pf {
namespace {

TEST(HexTest, RoundTripsBothCases) {
  const std::vector<uint8_t> b = {0x00, 0x1f, 0xa0, 0xff};
  EXPECT_EQ(to_hex(b), "001FA0FF");
  EXPECT_EQ(to_hex(b, false), "001fa0ff");
  EXPECT_EQ(*from_hex("001FA0FF"), b);
  EXPECT_EQ(*from_hex("001fA0fF"), b);
  EXPECT_TRUE(from_hex("")->empty());
}

TEST(HexTest, RejectsBadInput) {
  EXPECT_FALSE(from_hex("abc"));
  EXPECT_FALSE(from_hex("zz"));
  EXPECT_FALSE(from_hex("0g"));
  EXPECT_NE(from_hex("00 1").error().message().find("offset"), std::string::npos);
}

}  // namespace
}  // namespace pf
