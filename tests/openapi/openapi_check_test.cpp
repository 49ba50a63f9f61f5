// SPDX-License-Identifier: MIT OR Apache-2.0
// The checker itself: it reads the real spec, accepts what matches and
// rejects what does not (so the conformance tests built on it can fail).
#include "openapi_check.h"

#include <gtest/gtest.h>

namespace pf::openapi {
namespace {

using nlohmann::json;

const Spec& spec() {
  static const Spec s = [] {
    auto r = Spec::load(PF_OPENAPI_SPEC);
    EXPECT_TRUE(r) << r.error().to_string();
    return r ? *r : Spec();
  }();
  return s;
}

TEST(OpenApiCheckTest, ReadsTheSpec) {
  const auto ops = spec().operations();
  EXPECT_GE(ops.size(), 19u);
  bool found = false;
  for (const auto& op : ops)
    if (op.path == "/devices/{id}" && op.method == "patch")
      found = op.statuses.count(200) && op.statuses.count(401);
  EXPECT_TRUE(found);
  // YAML types survive: a quoted status code is a string key, a number a number.
  EXPECT_EQ(spec().document()["components"]["schemas"]["Rename"]["properties"]["name"]["maxLength"],
            64);
}

TEST(OpenApiCheckTest, AcceptsMatchingAnswers) {
  const json devices = json::array(
      {{{"id", "0123456789abcdef"}, {"name", "Phone"}, {"paired_at", "2026-11-25T10:00:00Z"}}});
  const auto d = spec().check("/devices", "get", 200, devices);
  EXPECT_TRUE(d.empty()) << d.front();
  EXPECT_TRUE(spec().check("/devices/{id}", "delete", 404, json{{"error", "no"}}).empty());
  const auto p = spec().check("/pairing", "get", 200,
                              json{{"native_pin", nullptr}, {"gamestream_waiting", "TV"}});
  EXPECT_TRUE(p.empty()) << p.front();
}

TEST(OpenApiCheckTest, RejectsWhatTheSpecDoesNotAllow) {
  // A missing required member, a wrong type, a pattern, an enum, an undocumented status.
  EXPECT_FALSE(
      spec().check("/devices", "get", 200, json::array({{{"id", "0123456789abcdef"}}})).empty());
  EXPECT_FALSE(spec().check("/devices", "get", 200, json::object()).empty());
  EXPECT_FALSE(spec()
                   .check("/devices", "get", 200,
                          json::array({{{"id", "XYZ"}, {"name", "a"}, {"paired_at", ""}}}))
                   .empty());
  EXPECT_FALSE(spec()
                   .check("/logs", "get", 200,
                          json::array({{{"time", "t"}, {"level", "loud"}, {"message", "m"}}}))
                   .empty());
  EXPECT_FALSE(spec().check("/devices", "get", 418, json::array()).empty());
  EXPECT_FALSE(spec().check("/pairing", "get", 200, json{{"native_pin", 123456}}).empty());
}

TEST(OpenApiCheckTest, UnknownSchemaKeywordsAreReportedNotIgnored) {
  std::vector<std::string> problems;
  validate(json("x"), json{{"type", "string"}, {"format", "uuid"}}, json::object(), "here",
           problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("'format'"), std::string::npos);
}

}  // namespace
}  // namespace pf::openapi
