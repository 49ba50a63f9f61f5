// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/gamestream/client_store.h"

#include <unistd.h>

#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "crypto/pki.h"
#include "host/config/paths.h"

namespace pf::host::gamestream {
namespace {

namespace fs = std::filesystem;

class ClientStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pf-store-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  // Two Moonlight-like certificates: same subject, serial 0, different keys.
  crypto::PemIdentity a_ =
      *crypto::make_self_signed_rsa("NVIDIA GameStream Client", 20, 2048, true);
  crypto::PemIdentity b_ =
      *crypto::make_self_signed_rsa("NVIDIA GameStream Client", 20, 2048, true);
};

// The state file cannot be written (a full or read-only disk; here the temporary file's name is
// taken by a directory, which fails as root too): pairing, renaming and unpairing fail with the
// reason and change nothing, in memory or on disk.
TEST_F(ClientStoreTest, AChangeThatCannotBeSavedChangesNothing) {
  const fs::path file = dir_ / "clients.json";
  auto s = ClientStore::open(file);
  ASSERT_TRUE(s);
  auto a = (*s)->add("roth", a_.cert_pem);
  ASSERT_TRUE(a);
  const std::string saved = [&] {
    std::ifstream in(file);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  fs::create_directories(file.string() + ".tmp" + std::to_string(getpid()));

  auto b = (*s)->add("tablet", b_.cert_pem);
  ASSERT_FALSE(b);
  EXPECT_NE(b.error().message().find("clients.json.tmp"), std::string::npos) << b.error().message();
  EXPECT_FALSE((*s)->is_paired(b_.cert_pem));
  EXPECT_FALSE((*s)->rename(a->id, "renamed"));
  EXPECT_EQ((*s)->find(a_.cert_pem)->name, "roth");
  EXPECT_FALSE((*s)->remove("roth"));
  EXPECT_TRUE((*s)->is_paired(a_.cert_pem));
  ASSERT_EQ((*s)->list().size(), 1u);
  std::ifstream in(file);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), saved);
}

TEST_F(ClientStoreTest, AddFindPersistRemove) {
  auto s = ClientStore::open(dir_ / "clients.json");
  ASSERT_TRUE(s);
  EXPECT_TRUE((*s)->list().empty());
  auto added = (*s)->add("roth", a_.cert_pem);
  ASSERT_TRUE(added);
  EXPECT_EQ(added->id.size(), 16u);
  EXPECT_TRUE((*s)->is_paired(a_.cert_pem));
  EXPECT_FALSE((*s)->is_paired(b_.cert_pem));  // same subject and serial, other key
  EXPECT_FALSE((*s)->is_paired("not a cert"));
  ASSERT_TRUE((*s)->add("tablet", b_.cert_pem));
  // Re-pairing the same certificate renames, does not duplicate.
  ASSERT_TRUE((*s)->add("roth2", a_.cert_pem));
  EXPECT_EQ((*s)->list().size(), 2u);

  auto again = ClientStore::open(dir_ / "clients.json");
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)->list().size(), 2u);
  EXPECT_EQ((*again)->find(a_.cert_pem)->name, "roth2");

  EXPECT_EQ(*(*again)->remove(added->id.substr(0, 6)), 1u);  // by id prefix
  EXPECT_EQ(*(*again)->remove("tablet"), 1u);                // by name
  EXPECT_EQ(*(*again)->remove("nobody"), 0u);
  // The first store sees the change on disk.
  EXPECT_FALSE((*s)->is_paired(a_.cert_pem));
  EXPECT_TRUE((*s)->list().empty());
}

TEST_F(ClientStoreTest, RenameByIdPersists) {
  auto s = ClientStore::open(dir_ / "clients.json");
  auto a = (*s)->add("roth", a_.cert_pem);
  ASSERT_TRUE((*s)->add("tablet", b_.cert_pem));
  auto r = (*s)->rename(a->id.substr(0, 6), "Living room");
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->name, "Living room");
  EXPECT_EQ((*ClientStore::open(dir_ / "clients.json"))->find(a_.cert_pem)->name, "Living room");
  EXPECT_EQ((*s)->rename("ffffffff", "x").error().code(), StatusCode::kNotFound);
  EXPECT_FALSE((*s)->rename("", "x"));
}

size_t damaged_copies(const fs::path& dir) {
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir))
    n += e.path().filename().string().rfind("clients.json.damaged-", 0) == 0;
  return n;
}

TEST_F(ClientStoreTest, DamagedFileIsMovedAsideAtStart) {
  ASSERT_TRUE(write_file_atomic(dir_ / "clients.json", "{not json").is_ok());
  auto s = ClientStore::open(dir_ / "clients.json");
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_TRUE((*s)->list().empty());
  EXPECT_EQ(damaged_copies(dir_), 1u);
  ASSERT_TRUE((*s)->add("roth", a_.cert_pem));  // pairing works again at once
  EXPECT_EQ((*ClientStore::open(dir_ / "clients.json"))->list().size(), 1u);
}

TEST_F(ClientStoreTest, DamagedWhileRunningKeepsTheLoadedClients) {
  auto s = ClientStore::open(dir_ / "clients.json");
  ASSERT_TRUE(s);
  ASSERT_TRUE((*s)->add("roth", a_.cert_pem));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a newer mtime
  ASSERT_TRUE(write_file_atomic(dir_ / "clients.json", "{\"clients\": 7}").is_ok());
  EXPECT_TRUE((*s)->is_paired(a_.cert_pem));
  EXPECT_EQ(damaged_copies(dir_), 1u);
  // ... and wrote them back.
  EXPECT_TRUE((*ClientStore::open(dir_ / "clients.json"))->is_paired(a_.cert_pem));
}

TEST_F(ClientStoreTest, UnversionedFileIsUpgraded) {
  auto s = ClientStore::open(dir_ / "clients.json");
  ASSERT_TRUE((*s)->add("roth", a_.cert_pem));
  auto doc = nlohmann::json::parse(*read_file(dir_ / "clients.json"));
  ASSERT_EQ(doc.erase("version"), 1u);
  ASSERT_TRUE(write_file_atomic(dir_ / "clients.json", doc.dump()).is_ok());
  auto again = ClientStore::open(dir_ / "clients.json");
  ASSERT_TRUE(again);
  EXPECT_TRUE((*again)->is_paired(a_.cert_pem));
  EXPECT_TRUE(fs::exists(dir_ / "clients.json.v0"));
  EXPECT_NE(read_file(dir_ / "clients.json")->find("\"version\": 1"), std::string::npos);
}

TEST_F(ClientStoreTest, NewerFileStopsTheHost) {
  ASSERT_TRUE(write_file_atomic(dir_ / "clients.json", R"({"version": 2, "clients": []})").is_ok());
  auto s = ClientStore::open(dir_ / "clients.json");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.error().message().find("newer punktfunk"), std::string::npos);
}

}  // namespace
}  // namespace pf::host::gamestream
