// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/gamestream/apps.h"

#include <unistd.h>

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "base/file_io.h"

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

TEST(AppsTest, AddRemoveAndTomlRoundTrip) {
  AppList l = AppList::builtin();
  auto steam = l.add(App{0, "Steam \"Big\" Picture", "steam -gamepadui", "/art/steam.png", true});
  ASSERT_TRUE(steam) << steam.error().to_string();
  EXPECT_EQ(steam->id, app_id_for("Steam \"Big\" Picture"));
  ASSERT_TRUE(l.add(App{77, "Pinned id", "", "", false}));
  EXPECT_EQ(l.add(App{0, "Desktop", "", "", false}).error().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(l.add(App{0, "", "", "", false}).error().code(), StatusCode::kInvalidArgument);
  auto back = AppList::parse(l.to_toml(), "round trip");
  ASSERT_TRUE(back) << back.error().to_string() << "\n" << l.to_toml();
  ASSERT_EQ(back->apps().size(), 3u);
  EXPECT_EQ(back->apps()[1].title, "Steam \"Big\" Picture");
  EXPECT_EQ(back->apps()[1].command, "steam -gamepadui");
  EXPECT_EQ(back->apps()[1].image, "/art/steam.png");
  EXPECT_TRUE(back->apps()[1].hdr);
  EXPECT_EQ(back->apps()[2].id, 77u);
  EXPECT_TRUE(l.remove(77));
  EXPECT_FALSE(l.remove(77));
  EXPECT_EQ(l.apps().size(), 2u);
}

TEST(AppsTest, StoreWritesTheFileAndSeesHandEdits) {
  const auto dir = std::filesystem::temp_directory_path() / ("pf-apps-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "apps.toml";
  auto store = AppStore::open(file);  // no file: the built-in Desktop
  ASSERT_TRUE(store);
  auto added = (*store)->add(App{0, "Steam", "steam", "", false});
  ASSERT_TRUE(added);
  auto other = AppStore::open(file);  // what the next start reads
  ASSERT_TRUE(other);
  ASSERT_EQ((*other)->list().apps().size(), 2u);
  EXPECT_EQ((*other)->list().apps()[1].title, "Steam");
  EXPECT_EQ((*store)->remove(12345).code(), StatusCode::kNotFound);
  ASSERT_TRUE((*store)->remove(added->id).is_ok());
  EXPECT_EQ((*store)->remove(app_id_for("Desktop")).code(), StatusCode::kFailedPrecondition);
  // A hand edit is picked up; a broken one keeps the last good list.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(write_file_atomic(file, "[[app]]\ntitle = \"Edited\"\n").is_ok());
  EXPECT_EQ((*store)->list().apps()[0].title, "Edited");
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(write_file_atomic(file, "[[app]\n").is_ok());
  EXPECT_EQ((*store)->list().apps()[0].title, "Edited");
  EXPECT_FALSE(AppStore::open(file));  // but a start on a broken file stops with the error
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace pf::host::gamestream
