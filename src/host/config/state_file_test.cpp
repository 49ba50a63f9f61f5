// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/config/state_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/file_io.h"

namespace pf::host {
namespace {

namespace fs = std::filesystem;
using Outcome = LoadedState::Outcome;

class StateFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pf-state-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  // Accepts documents whose "items" is an array.
  static Status parse(std::string_view text) {
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.contains("items") || !j["items"].is_array())
      return Status(StatusCode::kInvalidArgument, "no item list");
    return Status::ok();
  }
  static proto::config::StateFormat format() {
    return {"test items", 1, {[](nlohmann::json& j) {
              if (!j.contains("items"))
                j["items"] = nlohmann::json::array();
            }}};
  }
  size_t files() const {
    return static_cast<size_t>(std::distance(fs::directory_iterator(dir_), {}));
  }
  fs::path dir_;
};

TEST_F(StateFileTest, MissingFileIsAFreshStart) {
  auto r = load_state(dir_ / "items.json", format(), parse, "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, Outcome::kMissing);
}

TEST_F(StateFileTest, CurrentFileLoadsUntouched) {
  const std::string text = R"({"version": 1, "items": [1]})";
  ASSERT_TRUE(write_file_atomic(dir_ / "items.json", text).is_ok());
  auto r = load_state(dir_ / "items.json", format(), parse, "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, Outcome::kLoaded);
  EXPECT_EQ(r->text, text);
  EXPECT_EQ(files(), 1u);
}

TEST_F(StateFileTest, OldFormatIsUpgradedAndTheOriginalKept) {
  const std::string old = R"({"items": [1, 2]})";
  ASSERT_TRUE(write_file_atomic(dir_ / "items.json", old, 0644).is_ok());
  auto r = load_state(dir_ / "items.json", format(), parse, "");
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->outcome, Outcome::kUpgraded);
  EXPECT_EQ(r->old_version, dir_ / "items.json.v0");
  EXPECT_EQ(*read_file(dir_ / "items.json.v0"), old);
  const auto now = nlohmann::json::parse(*read_file(dir_ / "items.json"));
  EXPECT_EQ(now["version"], 1);
  EXPECT_EQ(now["items"].size(), 2u);
  struct stat st {};
  ASSERT_EQ(stat((dir_ / "items.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // The second start finds the current format.
  auto again = load_state(dir_ / "items.json", format(), parse, "");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->outcome, Outcome::kLoaded);
}

TEST_F(StateFileTest, DamagedFilesAreMovedAsideAndNothingElseIsTouched) {
  ASSERT_TRUE(write_file_atomic(dir_ / "other.json", "precious").is_ok());
  for (const char* bad : {"{\"items\": [1,", R"({"version": "x"})", R"({"version": 1})"}) {
    ASSERT_TRUE(write_file_atomic(dir_ / "items.json", bad).is_ok());
    auto r = load_state(dir_ / "items.json", format(), parse, "test items are gone");
    ASSERT_TRUE(r) << bad;
    EXPECT_EQ(r->outcome, Outcome::kMovedAside) << bad;
    EXPECT_FALSE(fs::exists(dir_ / "items.json"));
    EXPECT_EQ(*read_file(r->moved_to), bad);
    EXPECT_NE(r->moved_to.filename().string().find("items.json.damaged-"), std::string::npos);
  }
  EXPECT_EQ(*read_file(dir_ / "other.json"), "precious");
  EXPECT_EQ(files(), 4u);  // other.json and three damaged copies
}

TEST_F(StateFileTest, NewerFormatIsRefusedAndLeftAlone) {
  const std::string newer = R"({"version": 9, "items": []})";
  ASSERT_TRUE(write_file_atomic(dir_ / "items.json", newer).is_ok());
  auto r = load_state(dir_ / "items.json", format(), parse, "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.error().message().find("items.json"), std::string::npos);
  EXPECT_EQ(*read_file(dir_ / "items.json"), newer);
  EXPECT_EQ(files(), 1u);
}

}  // namespace
}  // namespace pf::host
