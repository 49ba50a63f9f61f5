// SPDX-License-Identifier: MIT OR Apache-2.0
#include "net/quic/quic_identity.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "base/file_io.h"

namespace pf::net {
namespace {

TEST(QuicIdentityTest, CreatedOnceWithMode0600ThenReused) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("pf-quic-id-" + std::to_string(getpid())) / "nested";
  auto a = load_or_create_identity(dir, "host");
  ASSERT_TRUE(a) << a.error().to_string();
  struct stat st {};
  ASSERT_EQ(::stat((dir / "native-key.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto b = load_or_create_identity(dir, "host");
  ASSERT_TRUE(b);
  EXPECT_EQ(a->cert_pem, b->cert_pem);
  EXPECT_EQ(*certificate_fingerprint(a->cert_pem), *certificate_fingerprint(b->cert_pem));
  // A damaged certificate is moved aside with its key and a new identity made.
  ASSERT_TRUE(write_file_atomic(dir / "native-cert.pem", "garbage").is_ok());
  auto c = load_or_create_identity(dir, "host");
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_NE(*certificate_fingerprint(c->cert_pem), *certificate_fingerprint(a->cert_pem));
  size_t aside = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string n = e.path().filename().string();
    if (n.rfind("native-cert.pem.damaged-", 0) == 0) {
      EXPECT_EQ(*read_file(e.path()), "garbage");
      ++aside;
    }
    if (n.rfind("native-key.pem.damaged-", 0) == 0) {
      EXPECT_EQ(*read_file(e.path()), a->key_pem);
      ++aside;
    }
  }
  EXPECT_EQ(aside, 2u);
  EXPECT_EQ(load_or_create_identity(dir, "host")->cert_pem, c->cert_pem);
  std::filesystem::remove_all(dir.parent_path());
}

}  // namespace
}  // namespace pf::net
