// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/gamestream/apps.h"

#include <gtest/gtest.h>

namespace pf::host::gamestream {
namespace {

TEST(AppsTest, BuiltinIsOneDesktopWithAStableId) {
  const auto l = AppList::builtin();
  ASSERT_EQ(l.apps().size(), 1u);
  EXPECT_EQ(l.apps()[0].title, "Desktop");
  EXPECT_EQ(l.apps()[0].id, app_id_for("Desktop"));
  EXPECT_GT(app_id_for("Desktop"), 0u);
  EXPECT_LE(app_id_for("Desktop"), 0x7FFFFFFFu);
  EXPECT_NE(app_id_for("Desktop"), app_id_for("Steam"));
  EXPECT_EQ(l.find(app_id_for("Desktop")), &l.apps()[0]);
  EXPECT_EQ(l.find(12345), nullptr);
}

TEST(AppsTest, ParsesToml) {
  auto l = AppList::parse(R"(
[[app]]
title = "Desktop"

[[app]]
title = "Steam Big Picture"
command = "steam -gamepadui"
image = "/x.png"
id = 1093255277
hdr = true
)",
                          "apps.toml");
  ASSERT_TRUE(l) << l.error().to_string();
  ASSERT_EQ(l->apps().size(), 2u);
  EXPECT_EQ(l->apps()[1].id, 1093255277u);
  EXPECT_EQ(l->apps()[1].command, "steam -gamepadui");
  EXPECT_TRUE(l->apps()[1].hdr);
}

TEST(AppsTest, ErrorsNameFileAndProblem) {
  auto syntax = AppList::parse("[[app]\ntitle=", "apps.toml");
  ASSERT_FALSE(syntax);
  EXPECT_NE(syntax.error().message().find("apps.toml:"), std::string::npos);
  auto no_title = AppList::parse("[[app]]\ncommand = \"x\"\n", "apps.toml");
  ASSERT_FALSE(no_title);
  EXPECT_NE(no_title.error().message().find("title"), std::string::npos);
  auto dup = AppList::parse("[[app]]\ntitle=\"a\"\nid=5\n[[app]]\ntitle=\"b\"\nid=5\n", "f");
  ASSERT_FALSE(dup);
  EXPECT_NE(dup.error().message().find("twice"), std::string::npos);
  EXPECT_FALSE(AppList::parse("[[app]]\ntitle=\"a\"\nid=-3\n", "f"));
  // A missing file is the built-in list.
  auto missing = AppList::load("/nonexistent/apps.toml");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->apps().size(), 1u);
}

}  // namespace
}  // namespace pf::host::gamestream
