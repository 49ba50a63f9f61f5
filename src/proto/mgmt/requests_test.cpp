// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/mgmt/requests.h"

#include <gtest/gtest.h>

namespace pf::proto::mgmt {
namespace {

TEST(MgmtRequestsTest, GameStreamPin) {
  EXPECT_EQ(*parse_gamestream_pin_request(R"({"pin": "0042"})"), "0042");
  EXPECT_FALSE(parse_gamestream_pin_request(""));
  EXPECT_FALSE(parse_gamestream_pin_request("not json"));
  EXPECT_FALSE(parse_gamestream_pin_request(R"(["1234"])"));
  EXPECT_FALSE(parse_gamestream_pin_request(R"({"pin": 1234})"));
  EXPECT_FALSE(parse_gamestream_pin_request(R"({"pin": "12345"})"));
  auto e = parse_gamestream_pin_request(R"({"pin": "12a4"})");
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().message(), "a Moonlight PIN is 4 digits");
}

}  // namespace
}  // namespace pf::proto::mgmt
