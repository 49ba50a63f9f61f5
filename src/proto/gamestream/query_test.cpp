// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/gamestream/query.h"

#include <gtest/gtest.h>

namespace pf::proto::gamestream {
namespace {

TEST(QueryTest, ParsesMoonlightStyleQueries) {
  auto q = QueryParams::parse(
      "uniqueid=0123456789ABCDEF&uuid=5c0b&devicename=roth&updateState=1&phrase=getservercert"
      "&name=My%20PC+x&empty=&flag");
  ASSERT_TRUE(q);
  EXPECT_EQ(*q->get("uniqueid"), "0123456789ABCDEF");
  EXPECT_EQ(*q->get("name"), "My PC x");
  EXPECT_EQ(*q->get("empty"), "");
  EXPECT_EQ(*q->get("flag"), "");
  EXPECT_FALSE(q->get("missing"));
  EXPECT_EQ(q->size(), 8u);
}

TEST(QueryTest, FirstValueWinsAndEmptyPartsAreSkipped) {
  auto q = QueryParams::parse("&&a=1&a=2&&");
  ASSERT_TRUE(q);
  EXPECT_EQ(*q->get("a"), "1");
  EXPECT_EQ(q->size(), 1u);
}

TEST(QueryTest, IntegersWithRanges) {
  auto q = QueryParams::parse("a=42&b=-1041977293&c=x&d=99999999999");
  EXPECT_EQ(*q->get_int("a", 0, 100), 42);
  EXPECT_EQ(*q->get_int("b", INT32_MIN, INT32_MAX), -1041977293);
  EXPECT_FALSE(q->get_int("c", 0, 100));
  EXPECT_FALSE(q->get_int("d", 0, INT32_MAX));
  EXPECT_FALSE(q->get_int("a", 0, 10));
  auto missing = q->get_int("z", 0, 1);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("'z'"), std::string::npos);
}

TEST(QueryTest, RejectsBrokenEscapesAndHugeInput) {
  EXPECT_FALSE(QueryParams::parse("a=%4"));
  EXPECT_FALSE(QueryParams::parse("a=%zz"));
  EXPECT_FALSE(QueryParams::parse("a=%"));
  EXPECT_FALSE(QueryParams::parse(std::string(QueryParams::kMaxBytes + 1, 'a')));
  std::string many;
  for (int i = 0; i < 200; ++i)
    many += "k" + std::to_string(i) + "=1&";
  EXPECT_FALSE(QueryParams::parse(many));
}

}  // namespace
}  // namespace pf::proto::gamestream
