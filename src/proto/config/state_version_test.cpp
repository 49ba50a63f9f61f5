// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/config/state_version.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace pf::proto::config {
namespace {

// A format with two steps: 0 -> 1 renames "list" to "items", 1 -> 2 adds "count".
StateFormat two_step() {
  return StateFormat{"test things",
                     2,
                     {[](nlohmann::json& j) {
                        j["items"] = j["list"];
                        j.erase("list");
                      },
                      [](nlohmann::json& j) { j["count"] = j["items"].size(); }}};
}

TEST(StateVersionTest, UpgradesOldDocumentsStepByStep) {
  auto up = upgrade_state(R"({"list": [1, 2, 3]})", two_step());
  ASSERT_TRUE(up) << up.error().to_string();
  EXPECT_EQ(up->from_version, 0);
  const auto j = nlohmann::json::parse(up->text);
  EXPECT_EQ(j["version"], 2);
  EXPECT_EQ(j["count"], 3);
  EXPECT_EQ(j["items"], nlohmann::json::array({1, 2, 3}));
  EXPECT_FALSE(j.contains("list"));

  auto from1 = upgrade_state(R"({"version": 1, "items": [7]})", two_step());
  ASSERT_TRUE(from1);
  EXPECT_EQ(from1->from_version, 1);
  EXPECT_EQ(nlohmann::json::parse(from1->text)["count"], 1);
}

TEST(StateVersionTest, CurrentDocumentsPassUnchanged) {
  const std::string text = R"({"version": 2, "items": [], "count": 0})";
  auto up = upgrade_state(text, two_step());
  ASSERT_TRUE(up);
  EXPECT_EQ(up->text, text);
  EXPECT_EQ(up->from_version, 2);
}

TEST(StateVersionTest, NewerDocumentsAreRefusedNotGuessed) {
  auto up = upgrade_state(R"({"version": 3})", two_step());
  ASSERT_FALSE(up);
  EXPECT_EQ(up.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(up.error().message().find("newer punktfunk"), std::string::npos);
}

TEST(StateVersionTest, DamagedDocumentsAreDataLoss) {
  for (const char* bad : {"", "{", "[1,2]", "\"text\"", R"({"version": "1"})", R"({"version": -1})",
                          R"({"version": 1.5})"}) {
    auto up = upgrade_state(bad, two_step());
    ASSERT_FALSE(up) << bad;
    EXPECT_EQ(up.error().code(), StatusCode::kDataLoss) << bad;
  }
}

TEST(StateVersionTest, ShippedFormatsHaveCompleteChains) {
  for (const StateFormat* f : {&peer_list_format(), &gamestream_client_format()}) {
    EXPECT_EQ(f->upgrades.size(), static_cast<size_t>(f->current)) << f->name;
    auto up = upgrade_state("{}", *f);
    ASSERT_TRUE(up) << f->name;
    EXPECT_EQ(nlohmann::json::parse(up->text)["version"], f->current);
  }
}

}  // namespace
}  // namespace pf::proto::config
