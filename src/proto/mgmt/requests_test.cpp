// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/mgmt/requests.h"

#include <map>
#include <optional>

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

TEST(MgmtRequestsTest, Rename) {
  EXPECT_EQ(*parse_rename_request(R"({"name": "  Living room TV "})"), "Living room TV");
  EXPECT_EQ(*parse_rename_request(R"({"name": "Küche \u20ac"})"), "Küche €");
  EXPECT_FALSE(parse_rename_request(R"({"name": "   "})"));
  EXPECT_FALSE(parse_rename_request(R"({"name": "a\nb"})"));
  EXPECT_FALSE(parse_rename_request(R"({"name": 7})"));
  EXPECT_FALSE(parse_rename_request(R"({"nom": "x"})"));
  EXPECT_FALSE(parse_rename_request("{\"name\": \"\xff\"}"));  // not UTF-8
  EXPECT_FALSE(parse_rename_request(R"({"name": ")" + std::string(65, 'x') + "\"}"));
  EXPECT_TRUE(parse_rename_request(R"({"name": ")" + std::string(64, 'x') + "\"}"));
}

TEST(MgmtRequestsTest, App) {
  auto a = parse_app_request(
      R"({"title": "Steam", "command": "steam -gamepadui", "image": "/a.png", "hdr": true})");
  ASSERT_TRUE(a) << a.error().to_string();
  EXPECT_EQ(a->title, "Steam");
  EXPECT_EQ(a->command, "steam -gamepadui");
  EXPECT_EQ(a->image, "/a.png");
  EXPECT_TRUE(a->hdr);
  auto minimal = parse_app_request(R"({"title": "Desktop 2"})");
  ASSERT_TRUE(minimal);
  EXPECT_EQ(minimal->command, "");
  EXPECT_FALSE(minimal->hdr);
  for (const char* bad :
       {"", "[]", R"({"command": "x"})", R"({"title": ""})", R"({"title": "x", "hdr": "yes"})",
        R"({"title": "x", "image": "a.png"})", R"({"title": "x", "cmd": "typo"})",
        R"({"title": "a\tb"})", R"({"title": 5})"})
    EXPECT_FALSE(parse_app_request(bad)) << bad;
  EXPECT_NE(parse_app_request(R"({"title": "x", "cmd": "y"})").error().message().find("'cmd'"),
            std::string::npos);
}

TEST(MgmtRequestsTest, ConfigPatch) {
  auto c = parse_config_patch(
      R"({"values": {"name": "den", "port": 48000, "mdns": false, "bind": null}})");
  ASSERT_TRUE(c) << c.error().to_string();
  ASSERT_EQ(c->size(), 4u);
  std::map<std::string, std::optional<std::string>> m;
  for (const auto& x : *c)
    m[x.key] = x.value;
  EXPECT_EQ(m["name"], "den");
  EXPECT_EQ(m["port"], "48000");
  EXPECT_EQ(m["mdns"], "false");
  EXPECT_EQ(m["bind"], std::nullopt);
  for (const char* bad : {"", "{}", R"({"values": []})", R"({"values": {"port": 1.5}})",
                          R"({"values": {"name": ["x"]}})"})
    EXPECT_FALSE(parse_config_patch(bad)) << bad;
  std::string many = R"({"values": {)";
  for (int i = 0; i < 33; ++i)
    many += (i ? "," : "") + std::string("\"k") + std::to_string(i) + "\": 1";
  EXPECT_FALSE(parse_config_patch(many + "}}"));
}

TEST(MgmtRequestsTest, LogLines) {
  EXPECT_EQ(*parse_log_lines(""), 100u);
  EXPECT_EQ(*parse_log_lines("1"), 1u);
  EXPECT_EQ(*parse_log_lines("1000"), 1000u);
  for (const char* bad : {"0", "1001", "-1", "12x", "99999999999999999999999"})
    EXPECT_FALSE(parse_log_lines(bad)) << bad;
}

}  // namespace
}  // namespace pf::proto::mgmt
