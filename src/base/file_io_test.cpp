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

}  // namespace
}  // namespace pf
