// SPDX-License-Identifier: MIT OR Apache-2.0
#include "net/address.h"

#include <gtest/gtest.h>

namespace pf::net {
namespace {

TEST(AddressTest, ParsesV4AndV6WithAndWithoutPort) {
  auto a = Address::parse("127.0.0.1:9000");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->family(), AF_INET);
  EXPECT_EQ(a->port(), 9000);
  EXPECT_EQ(a->to_string(), "127.0.0.1:9000");
  auto b = Address::parse("[::1]:47998");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->family(), AF_INET6);
  EXPECT_EQ(b->to_string(), "[::1]:47998");
  auto c = Address::parse("::1", 5);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->port(), 5);
  auto d = Address::parse("10.1.2.3", 77);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->to_string(), "10.1.2.3:77");
  EXPECT_EQ(*Address::parse("127.0.0.1:1"), Address::loopback_v4(1));
}

TEST(AddressTest, RejectsGarbageWithAMessage) {
  for (const char* bad : {"", "localhost:80", "1.2.3.4:70000", "1.2.3.4:x", "[::1", "[::1]x",
                          "1.2.3:4", "1.2.3.4:"}) {
    auto a = Address::parse(bad);
    EXPECT_FALSE(a) << bad;
    if (!a) {
      EXPECT_FALSE(a.error().message().empty());
    }
  }
}

}  // namespace
}  // namespace pf::net
