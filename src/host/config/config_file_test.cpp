// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/config/config_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "base/file_io.h"

namespace pf::host {
namespace {

namespace fs = std::filesystem;

class ConfigFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pf-config-" + std::to_string(getpid()));
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(ConfigFileTest, UpdateCreatesTheFileWithMode0600) {
  HostConfigFile f(dir_ / "punktfunk" / "host.toml");
  EXPECT_TRUE(f.read()->empty());
  auto after = f.update({{"name", "den"}, {"mdns", "false"}, {"port", "48000"}});
  ASSERT_TRUE(after) << after.error().to_string();
  const auto j = config_values_json(*after);
  EXPECT_EQ(j["name"], "den");
  EXPECT_EQ(j["mdns"], false);
  EXPECT_EQ(j["port"], 48000);
  struct stat st {};
  ASSERT_EQ(stat(f.path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(f.read()->size(), 3u);
}

TEST_F(ConfigFileTest, BadRequestsAndBrokenFilesChangeNothing) {
  HostConfigFile f(dir_ / "host.toml");
  fs::create_directories(dir_);
  ASSERT_TRUE(write_file_atomic(f.path(), "# mine\nport = 1\n").is_ok());
  auto bad = f.update({{"port", "2"}, {"display-backend", "kde"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(*read_file(f.path()), "# mine\nport = 1\n");
  ASSERT_TRUE(write_file_atomic(f.path(), "port = = 1\n").is_ok());
  auto broken = f.update({{"port", "2"}});
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(*read_file(f.path()), "port = = 1\n");
}

// Two writers of different keys, a reader all along: no update is lost and
// the reader never sees a torn file.
TEST_F(ConfigFileTest, ConcurrentUpdatesAllLand) {
  HostConfigFile f(dir_ / "host.toml");
  std::atomic<bool> done{false};
  std::atomic<int> torn{0}, reads{0};
  std::thread reader([&] {
    while (!done) {
      if (auto text = read_file(f.path())) {
        ++reads;
        if (!proto::config::parse_host_config(*text, "r", proto::config::host_config_key_names()))
          ++torn;
      }
    }
  });
  std::thread a([&] {
    for (int i = 0; i < 100; ++i)
      ASSERT_TRUE(f.update({{"port", std::to_string(40000 + i)}}));
  });
  std::thread b([&] {
    for (int i = 0; i < 100; ++i)
      ASSERT_TRUE(f.update({{"name", "host " + std::to_string(i)}}));
  });
  a.join();
  b.join();
  done = true;
  reader.join();
  const auto j = config_values_json(*f.read());
  EXPECT_EQ(j["port"], 40099);
  EXPECT_EQ(j["name"], "host 99");
  EXPECT_EQ(j.size(), 2u);
  EXPECT_EQ(torn, 0);
  EXPECT_GT(reads, 0);
}

}  // namespace
}  // namespace pf::host
