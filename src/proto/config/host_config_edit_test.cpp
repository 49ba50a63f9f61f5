// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/config/host_config_edit.h"

#include <gtest/gtest.h>

#include "proto/config/host_config.h"

namespace pf::proto::config {
namespace {

const KeySpec& key(const std::string& name) {
  for (const auto& k : host_config_keys())
    if (k.name == name)
      return k;
  throw std::runtime_error("no key " + name);
}

TEST(HostConfigEditTest, ValuesAreCheckedByKind) {
  EXPECT_TRUE(check_config_value(key("port"), "47989").is_ok());
  EXPECT_TRUE(check_config_value(key("port"), "0").is_ok());
  EXPECT_FALSE(check_config_value(key("port"), "65536").is_ok());
  EXPECT_TRUE(check_config_value(key("max-sessions"), "4").is_ok());
  EXPECT_FALSE(check_config_value(key("max-sessions"), "0").is_ok());
  EXPECT_FALSE(check_config_value(key("max-sessions"), "65").is_ok());
  EXPECT_FALSE(check_config_value(key("max-sessions"), "-1").is_ok());
  EXPECT_TRUE(check_config_value(key("session-linger"), "0").is_ok());
  EXPECT_EQ(check_config_value(key("session-linger"), "x").message(),
            "session-linger: 'x' is not a whole number from 0 to 86400");
  EXPECT_FALSE(check_config_value(key("port"), "-1").is_ok());
  EXPECT_FALSE(check_config_value(key("port"), "").is_ok());
  EXPECT_TRUE(check_config_value(key("bind"), "127.0.0.1").is_ok());
  EXPECT_FALSE(check_config_value(key("bind"), "localhost").is_ok());
  EXPECT_TRUE(check_config_value(key("mdns"), "false").is_ok());
  EXPECT_FALSE(check_config_value(key("mdns"), "no").is_ok());
  EXPECT_TRUE(check_config_value(key("display-backend"), "mutter").is_ok());
  auto st = check_config_value(key("display-backend"), "kde");
  EXPECT_EQ(
      st.message(),
      "display-backend: 'kde' is not one of xvfb, x11, mutter, mutter-headless, kwin, sway, auto");
  EXPECT_TRUE(check_config_value(key("name"), "Wohnzimmer €").is_ok());
  EXPECT_FALSE(check_config_value(key("name"), "a\nb").is_ok());
  EXPECT_FALSE(check_config_value(key("name"), std::string(65, 'x')).is_ok());
}

TEST(HostConfigEditTest, EditsKeepCommentsAndOrder) {
  const std::string before =
      "# my host\n"
      "name = \"old\"   # trailing note goes with the line\n"
      "\n"
      "# ports\n"
      "port = 47989\n"
      "mdns = true\n";
  auto after = edit_host_config(before, "host.toml",
                                {{"name", "new \"one\""},
                                 {"mdns", std::nullopt},
                                 {"display-backend", "auto"},
                                 {"mgmt-port", "0"}});
  ASSERT_TRUE(after) << after.error().to_string();
  EXPECT_EQ(*after,
            "# my host\n"
            "name = \"new \\\"one\\\"\"\n"
            "\n"
            "# ports\n"
            "port = 47989\n"
            "display-backend = \"auto\"\n"
            "mgmt-port = 0\n");
  auto entries = parse_host_config(*after, "host.toml", host_config_key_names());
  ASSERT_TRUE(entries);
  EXPECT_EQ((*entries)[0].value, "new \"one\"");
}

TEST(HostConfigEditTest, NothingIsAppliedOnAnError) {
  auto unknown = edit_host_config("port = 1\n", "host.toml", {{"name", "x"}, {"nmae", "y"}});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message(), "unknown key 'nmae' (did you mean 'name'?)");
  EXPECT_FALSE(edit_host_config("port = 1\n", "host.toml", {{"port", "x"}}));
  auto broken = edit_host_config("port = \n", "host.toml", {{"port", "2"}});
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().message().find("host.toml:1"), std::string::npos);
  // A value over several lines is not edited line by line.
  auto multi = edit_host_config("name = \"\"\"a\nb\"\"\"\n", "host.toml", {{"name", "c"}});
  ASSERT_FALSE(multi);
  EXPECT_EQ(multi.error().code(), StatusCode::kFailedPrecondition);
}

TEST(HostConfigEditTest, EmptyFileGrows) {
  auto a = edit_host_config("", "host.toml", {{"port", "1"}, {"port", "2"}});
  ASSERT_TRUE(a);
  EXPECT_EQ(*a, "port = 2\n");
}

}  // namespace
}  // namespace pf::proto::config
