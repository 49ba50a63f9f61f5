// SPDX-License-Identifier: MIT OR Apache-2.0
#include "crypto/hkdf.h"

#include <gtest/gtest.h>

#include "base/hex.h"

namespace pf::crypto {
namespace {

std::vector<uint8_t> h(std::string_view s) {
  return *from_hex(s);
}

// RFC 5869 Appendix A.1 (SHA-256, basic case).
TEST(HkdfTest, Rfc5869CaseOne) {
  const auto ikm = h("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
  const auto salt = h("000102030405060708090a0b0c");
  const auto info = h("f0f1f2f3f4f5f6f7f8f9");
  const auto prk = h("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
  const std::string okm =
      "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865";
  auto a = hkdf_sha256(ikm, salt, info, 42);
  auto b = hkdf_expand_sha256(prk, info, 42);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(to_hex(*a, false), okm);
  EXPECT_EQ(to_hex(*b, false), okm);
}

// RFC 5869 Appendix A.3 (SHA-256, zero-length salt and info).
TEST(HkdfTest, Rfc5869CaseThree) {
  const auto ikm = h("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
  auto a = hkdf_sha256(ikm, {}, {}, 42);
  ASSERT_TRUE(a);
  EXPECT_EQ(to_hex(*a, false),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
}

TEST(HkdfTest, RejectsBadLengths) {
  const std::vector<uint8_t> short_key(16, 1), key(32, 1);
  EXPECT_FALSE(hkdf_expand_sha256(short_key, {}, 16));
  EXPECT_FALSE(hkdf_expand_sha256(key, {}, 0));
  EXPECT_FALSE(hkdf_expand_sha256(key, {}, 255 * 32 + 1));
}

}  // namespace
}  // namespace pf::crypto
