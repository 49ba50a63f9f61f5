// SPDX-License-Identifier: MIT OR Apache-2.0
#include "base/status.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace pf {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.is_ok());
  EXPECT_EQ(s.to_string(), "ok");
}

TEST(StatusTest, CarriesCodeAndMessage) {
  Status s(StatusCode::kInvalidArgument, "k must be at least 1");
  EXPECT_FALSE(s.is_ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.to_string(), "invalid_argument: k must be at least 1");
}

TEST(StatusTest, EveryCodeHasADistinctName) {
  std::set<std::string> names;
  for (int i = 0; i < kStatusCodeCount; ++i) {
    auto name = std::string(status_code_name(static_cast<StatusCode>(i)));
    EXPECT_NE(name, "unknown") << "code " << i;
    names.insert(name);
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(kStatusCodeCount));
  EXPECT_EQ(status_code_name(static_cast<StatusCode>(kStatusCodeCount)), "unknown");
}

Result<int> half(int v) {
  if (v % 2)
    return make_error(StatusCode::kInvalidArgument, "odd");
  return v / 2;
}

TEST(StatusTest, ResultHoldsValueOrError) {
  auto a = half(4);
  ASSERT_TRUE(a);
  EXPECT_EQ(*a, 2);
  auto b = half(3);
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(b.error().message(), "odd");
}

}  // namespace
}  // namespace pf
