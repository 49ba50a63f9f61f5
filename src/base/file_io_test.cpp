// SPDX-License-Identifier: MIT OR Apache-2.0
#include "base/file_io.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace pf {
namespace {

namespace fs = std::filesystem;

TEST(FileIoTest, AtomicWriteAndRead) {
  const fs::path dir = fs::temp_directory_path() / ("pf-fileio-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const fs::path f = dir / "x.json";
  ASSERT_TRUE(write_file_atomic(f, "hello", 0600).is_ok());
  EXPECT_EQ(*read_file(f), "hello");
  struct stat st {};
  ::stat(f.c_str(), &st);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_TRUE(write_file_atomic(f, "again").is_ok());
  EXPECT_EQ(*read_file(f), "again");
  // No temporary files are left behind.
  size_t n = 0;
  for ([[maybe_unused]] auto& e : fs::directory_iterator(dir))
    ++n;
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(read_file(dir / "missing").error().code(), StatusCode::kNotFound);
  EXPECT_EQ(read_file(f, 3).error().code(), StatusCode::kResourceExhausted);
  EXPECT_FALSE(write_file_atomic(dir / "no" / "such" / "dir", "x").is_ok());
  fs::remove_all(dir);
}

TEST(FileIoTest, MoveAsideKeepsEveryDamagedCopy) {
  const fs::path dir = fs::temp_directory_path() / ("pf-aside-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const fs::path f = dir / "clients.json";
  ASSERT_TRUE(write_file_atomic(f, "first", 0600).is_ok());
  auto a = move_aside(f, "20260101T000000Z");
  ASSERT_TRUE(a) << a.error().to_string();
  EXPECT_EQ(a->filename(), "clients.json.damaged-20260101T000000Z");
  EXPECT_FALSE(fs::exists(f));
  ASSERT_TRUE(write_file_atomic(f, "second", 0600).is_ok());
  auto b = move_aside(f, "20260101T000000Z");  // same second: a new name, nothing overwritten
  ASSERT_TRUE(b);
  EXPECT_EQ(b->filename(), "clients.json.damaged-20260101T000000Z-2");
  EXPECT_EQ(*read_file(*a), "first");
  EXPECT_EQ(*read_file(*b), "second");
  EXPECT_FALSE(move_aside(dir / "missing"));
  EXPECT_EQ(utc_file_stamp().size(), 16u);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace pf
