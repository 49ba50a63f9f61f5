// SPDX-License-Identifier: MIT OR Apache-2.0
#include "crypto/pki.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "base/hex.h"

namespace pf::crypto {
namespace {

std::vector<uint8_t> bytes(std::string_view s) {
  return {s.begin(), s.end()};
}

TEST(PkiTest, Sha256KnownAnswers) {
  // FIPS 180-2 examples.
  EXPECT_EQ(to_hex(sha256(bytes("abc"))),
            "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD");
  EXPECT_EQ(to_hex(sha256({})), "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855");
  const auto a = bytes("ab"), c = bytes("c");
  EXPECT_EQ(sha256_concat({a, c}), sha256(bytes("abc")));
}

TEST(PkiTest, Aes128EcbKnownAnswerAndRoundTrip) {
  // FIPS-197 appendix C.1.
  const auto key = *from_hex("000102030405060708090A0B0C0D0E0F");
  const auto pt = *from_hex("00112233445566778899AABBCCDDEEFF");
  auto ct = aes128_ecb(true, key, pt);
  ASSERT_TRUE(ct);
  EXPECT_EQ(to_hex(*ct), "69C4E0D86A7B0430D8CDB78070B4C55A");
  // Two blocks: ECB encrypts each independently.
  std::vector<uint8_t> two = pt;
  two.insert(two.end(), pt.begin(), pt.end());
  auto ct2 = aes128_ecb(true, key, two);
  EXPECT_EQ(to_hex(*ct2), "69C4E0D86A7B0430D8CDB78070B4C55A69C4E0D86A7B0430D8CDB78070B4C55A");
  EXPECT_EQ(*aes128_ecb(false, key, *ct2), two);
  EXPECT_FALSE(aes128_ecb(true, key, std::vector<uint8_t>(15)));
  EXPECT_FALSE(aes128_ecb(true, std::vector<uint8_t>(8), pt));
}

TEST(PkiTest, SelfSignedIdentitySignsAndVerifies) {
  auto id = make_self_signed_rsa("punktfunk test");
  ASSERT_TRUE(id) << id.error().to_string();
  EXPECT_NE(id->cert_pem.find("BEGIN CERTIFICATE"), std::string::npos);
  EXPECT_EQ(*certificate_common_name(id->cert_pem), "punktfunk test");
  auto sig = certificate_signature(id->cert_pem);
  ASSERT_TRUE(sig);
  EXPECT_EQ(sig->size(), 256u);  // RSA-2048
  const auto msg = bytes("serversecret0123");
  auto s = rsa_sha256_sign(id->key_pem, msg);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->size(), 256u);
  EXPECT_TRUE(rsa_sha256_verify(id->cert_pem, msg, *s));
  auto bad = *s;
  bad[10] ^= 1;
  EXPECT_FALSE(rsa_sha256_verify(id->cert_pem, msg, bad));
  EXPECT_FALSE(rsa_sha256_verify(id->cert_pem, bytes("serversecret0124"), *s));
  auto other = make_self_signed_rsa("other");
  EXPECT_FALSE(rsa_sha256_verify(other->cert_pem, msg, *s));
  // DER <-> PEM.
  auto der = certificate_der(id->cert_pem);
  ASSERT_TRUE(der);
  EXPECT_EQ(*certificate_pem_from_der(*der), id->cert_pem);
}

TEST(PkiTest, P256IdentityIsAnEcCertificate) {
  auto id = make_self_signed_p256("punktfunk host");
  ASSERT_TRUE(id) << id.error().to_string();
  EXPECT_EQ(*certificate_common_name(id->cert_pem), "punktfunk host");
  EXPECT_NE(id->key_pem.find("BEGIN PRIVATE KEY"), std::string::npos);
  auto der = certificate_der(id->cert_pem);
  ASSERT_TRUE(der);
  // id-ecPublicKey (1.2.840.10045.2.1) and prime256v1 (1.2.840.10045.3.1.7) OIDs.
  const std::vector<uint8_t> ec_oid{0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
  const std::vector<uint8_t> p256_oid{0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
  EXPECT_NE(std::search(der->begin(), der->end(), ec_oid.begin(), ec_oid.end()), der->end());
  EXPECT_NE(std::search(der->begin(), der->end(), p256_oid.begin(), p256_oid.end()), der->end());
  auto other = make_self_signed_p256("punktfunk host");
  ASSERT_TRUE(other);
  EXPECT_NE(sha256(*der), sha256(*certificate_der(other->cert_pem)));
}

TEST(PkiTest, GarbageIsAnErrorNotACrash) {
  EXPECT_FALSE(certificate_der("not a cert"));
  EXPECT_FALSE(certificate_signature(""));
  EXPECT_FALSE(rsa_sha256_sign("junk", bytes("x")));
  EXPECT_FALSE(rsa_sha256_verify("junk", bytes("x"), bytes("y")));
  EXPECT_FALSE(certificate_pem_from_der(bytes("\x30\x03\x02\x01")));
}

TEST(PkiTest, RandomBytesDiffer) {
  std::array<uint8_t, 16> a{}, b{};
  random_bytes(a);
  random_bytes(b);
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace pf::crypto
