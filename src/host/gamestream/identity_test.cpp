// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/gamestream/identity.h"

#include <unistd.h>

#include <regex>

#include <gtest/gtest.h>

#include "host/config/paths.h"

namespace pf::host::gamestream {
namespace {

namespace fs = std::filesystem;

TEST(IdentityTest, CreatedOnceThenReloaded) {
  const fs::path dir = fs::temp_directory_path() / ("pf-id-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto a = HostIdentity::load_or_create(dir);
  ASSERT_TRUE(a) << a.error().to_string();
  EXPECT_TRUE(std::regex_match(a->unique_id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-"
                                                        "[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  EXPECT_EQ((fs::status(dir / "host-key.pem").permissions() & fs::perms::all),
            fs::perms::owner_read | fs::perms::owner_write);
  auto b = HostIdentity::load_or_create(dir);
  ASSERT_TRUE(b);
  EXPECT_EQ(a->cert_pem, b->cert_pem);
  EXPECT_EQ(a->key_pem, b->key_pem);
  EXPECT_EQ(a->unique_id, b->unique_id);
  // A damaged key is moved aside with its certificate (both kept for the
  // user) and a new identity made; the host id stays.
  ASSERT_TRUE(write_file_atomic(dir / "host-key.pem", "garbage").is_ok());
  auto c = HostIdentity::load_or_create(dir);
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_NE(c->cert_pem, a->cert_pem);
  EXPECT_EQ(c->unique_id, a->unique_id);
  size_t aside = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string n = e.path().filename().string();
    if (n.rfind("host-key.pem.damaged-", 0) == 0) {
      EXPECT_EQ(*read_file(e.path()), "garbage");
      ++aside;
    }
    if (n.rfind("host-cert.pem.damaged-", 0) == 0) {
      EXPECT_EQ(*read_file(e.path()), a->cert_pem);
      ++aside;
    }
  }
  EXPECT_EQ(aside, 2u);
  // Half an identity (the key lost) is replaced the same way.
  fs::remove(dir / "host-key.pem");
  auto d = HostIdentity::load_or_create(dir);
  ASSERT_TRUE(d);
  EXPECT_NE(d->cert_pem, c->cert_pem);
  EXPECT_EQ(HostIdentity::load_or_create(dir)->cert_pem, d->cert_pem);
  fs::remove_all(dir);
}

TEST(IdentityTest, UuidsDiffer) {
  EXPECT_NE(random_uuid(), random_uuid());
}

}  // namespace
}  // namespace pf::host::gamestream
