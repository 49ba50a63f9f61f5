// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/config/host_config.h"

#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

namespace pf::proto::config {
namespace {

const std::vector<std::string> kKeys = {"name", "port", "display-backend", "mdns"};

TEST(HostConfigTest, ReadsKeysInFileOrderWithTheirLines) {
  auto r = parse_host_config("# a comment\nport = 48989\nname = \"living room\"\nmdns = false\n",
                             "host.toml", kKeys);
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].key, "port");
  EXPECT_EQ((*r)[0].value, "48989");
  EXPECT_EQ((*r)[0].origin, "host.toml:2");
  EXPECT_EQ((*r)[1].value, "living room");
  EXPECT_EQ((*r)[2].value, "false");
  EXPECT_EQ((*r)[2].line, 4u);
}

TEST(HostConfigTest, UnknownKeysNameTheLineAndTheNearestKey) {
  auto r = parse_host_config("port = 1\nnmae = \"x\"\n", "host.toml", kKeys);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), "host.toml:2: unknown key 'nmae' (did you mean 'name'?)");
  r = parse_host_config("colour = \"red\"\n", "host.toml", kKeys);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("docs/configuration.md"), std::string::npos);
}

TEST(HostConfigTest, BadTomlAndBadTypesAreClearErrors) {
  auto r = parse_host_config("port = \n", "host.toml", kKeys);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message().rfind("host.toml:1: ", 0), 0u) << r.error().message();
  r = parse_host_config("\nport = [1, 2]\n", "host.toml", kKeys);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(),
            "host.toml:2: 'port' must be a string, a whole number or true/false");
  r = parse_host_config("[display-backend]\nx = 1\n", "host.toml", kKeys);
  EXPECT_FALSE(r);  // a table is not a value
}

TEST(HostConfigTest, SetOptions) {
  auto s = parse_set_option("display-backend=mutter", kKeys);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->key, "display-backend");
  EXPECT_EQ(s->value, "mutter");
  EXPECT_EQ(parse_set_option("name=a=b", kKeys)->value, "a=b");
  EXPECT_FALSE(parse_set_option("name", kKeys));
  EXPECT_FALSE(parse_set_option("=x", kKeys));
  auto bad = parse_set_option("prot=1", kKeys);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message(), "--set: unknown key 'prot' (did you mean 'port'?)");
}

TEST(HostConfigTest, AMissingFileIsNoEntries) {
  auto r = load_host_config("/nonexistent/punktfunk/host.toml", kKeys);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty());
}

}  // namespace
}  // namespace pf::proto::config
