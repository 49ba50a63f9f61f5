// SPDX-License-Identifier: MIT OR Apache-2.0
#include "crypto/spake2.h"

#include <gtest/gtest.h>

#include <string>

#include "base/hex.h"

namespace pf::crypto {
namespace {

std::vector<uint8_t> bytes(std::string_view hex) {
  auto b = from_hex(hex);
  EXPECT_TRUE(b.has_value()) << hex;
  return b.value_or(std::vector<uint8_t>{});
}
Spake2::Scalar scalar(std::string_view hex) {
  Spake2::Scalar s{};
  auto b = bytes(hex);
  EXPECT_EQ(b.size(), s.size());
  std::copy(b.begin(), b.end(), s.begin());
  return s;
}
std::span<const uint8_t> text(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
std::string lower_hex(std::span<const uint8_t> b) {
  return to_hex(b, false);
}

// RFC 9382 Appendix B (P-256, SHA-256, HKDF-SHA256, HMAC-SHA256, no AAD).
struct Vector {
  std::string_view a, b, w, x, y, pa, pb, ke, ca, cb;
};
constexpr Vector kVectors[] = {
    {"server", "client", "2ee57912099d31560b3a44b1184b9b4866e904c49d12ac5042c97dca461b1a5f",
     "43dd0fd7215bdcb482879fca3220c6a968e66d70b1356cac18bb26c84a78d729",
     "dcb60106f276b02606d8ef0a328c02e4b629f84f89786af5befb0bc75b6e66be",
     "04a56fa807caaa53a4d28dbb9853b9815c61a411118a6fe516a8798434751470f9010153ac33d0d5f2047ffdb1a3e"
     "4"
     "2c9b4e6be662766e1eeb4116988ede5f912c",
     "0406557e482bd03097ad0cbaa5df82115460d951e3451962f1eaf4367a420676d09857ccbc522686c83d1852abfa8"
     "e"
     "d6e4a1155cf8f1543ceca528afb591a1e0b7",
     "0e0672dc86f8e45565d338b0540abe69",
     "58ad4aa88e0b60d5061eb6b5dd93e80d9c4f00d127c65b3b35b1b5281fee38f0",
     "d3e2e547f1ae04f2dbdbf0fc4b79f8ecff2dff314b5d32fe9fcef2fb26dc459b"},
    {"", "client", "0548d8729f730589e579b0475a582c1608138ddf7054b73b5381c7e883e2efae",
     "403abbe3b1b4b9ba17e3032849759d723939a27a27b9d921c500edde18ed654b",
     "903023b6598908936ea7c929bd761af6039577a9c3f9581064187c3049d87065",
     "04a897b769e681c62ac1c2357319a3d363f610839c4477720d24cbe32f5fd85f44fb92ba966578c1b712be6962498"
     "8"
     "34078262caa5b441ecfa9d4a9485720e918a",
     "04e0f816fd1c35e22065d5556215c097e799390d16661c386e0ecc84593974a61b881a8c82327687d0501862970c6"
     "4"
     "565560cb5671f696048050ca66ca5f8cc7fc",
     "642f05c473c2cd79909f9a841e2f30a7",
     "47d29e6666af1b7dd450d571233085d7a9866e4d49d2645e2df975489521232b",
     "3313c5cefc361d27fb16847a91c2a73b766ffa90a4839122a9b70a2f6bd1d6df"},
};

TEST(Spake2Test, ReproducesRfc9382AppendixB) {
  for (const auto& v : kVectors) {
    SCOPED_TRACE(std::string(v.a) + "/" + std::string(v.b));
    auto a = Spake2::create(Spake2::Role::kA, scalar(v.w), scalar(v.x));
    auto b = Spake2::create(Spake2::Role::kB, scalar(v.w), scalar(v.y));
    ASSERT_TRUE(a && b);
    EXPECT_EQ(lower_hex(a->share()), v.pa);
    EXPECT_EQ(lower_hex(b->share()), v.pb);
    auto ka = a->finish(b->share(), text(v.a), text(v.b));
    auto kb = b->finish(a->share(), text(v.a), text(v.b));
    ASSERT_TRUE(ka && kb);
    EXPECT_EQ(lower_hex(ka->ke), v.ke);
    EXPECT_EQ(lower_hex(kb->ke), v.ke);
    EXPECT_EQ(lower_hex(ka->confirm_a), v.ca);
    EXPECT_EQ(lower_hex(ka->confirm_b), v.cb);
    EXPECT_EQ(ka->confirm_a, kb->confirm_a);
    EXPECT_EQ(ka->confirm_b, kb->confirm_b);
  }
}

TEST(Spake2Test, RandomRunsAgreeAndAWrongPasswordDisagrees) {
  const auto w = Spake2::password_scalar("123456");
  const auto wrong = Spake2::password_scalar("123457");
  EXPECT_NE(w, wrong);
  auto a = Spake2::create(Spake2::Role::kA, w);
  auto b = Spake2::create(Spake2::Role::kB, w);
  auto c = Spake2::create(Spake2::Role::kB, wrong);
  ASSERT_TRUE(a && b && c);
  auto ka = a->finish(b->share(), text("client-fp"), text("host-fp"), text("aad"));
  auto kb = b->finish(a->share(), text("client-fp"), text("host-fp"), text("aad"));
  ASSERT_TRUE(ka && kb);
  EXPECT_EQ(ka->ke, kb->ke);
  EXPECT_TRUE(constant_time_equal(ka->confirm_b, kb->confirm_b));
  // Different identities (for example a swapped certificate) break agreement too.
  auto kb_other_id = b->finish(a->share(), text("mallory-fp"), text("host-fp"), text("aad"));
  ASSERT_TRUE(kb_other_id);
  EXPECT_FALSE(constant_time_equal(ka->confirm_a, kb_other_id->confirm_a));

  auto ka2 = a->finish(c->share(), text("client-fp"), text("host-fp"), text("aad"));
  auto kc = c->finish(a->share(), text("client-fp"), text("host-fp"), text("aad"));
  ASSERT_TRUE(ka2 && kc);
  EXPECT_NE(ka2->ke, kc->ke);
  EXPECT_FALSE(constant_time_equal(ka2->confirm_b, kc->confirm_b));
}

TEST(Spake2Test, RejectsSharesThatAreNotPoints) {
  auto a = Spake2::create(Spake2::Role::kA, Spake2::password_scalar("000000"));
  ASSERT_TRUE(a);
  std::array<uint8_t, 65> junk{};
  junk[0] = 0x04;
  EXPECT_FALSE(a->finish(junk, {}, {}));                                      // not on the curve
  EXPECT_FALSE(a->finish(std::span<const uint8_t>(junk).first(10), {}, {}));  // short
  auto compressed = bytes("02886e2f97ace46e55ba9dd7242579f2993b64e16ef3dcab95afd497333d8fa12f");
  EXPECT_FALSE(a->finish(compressed, {}, {}));  // only uncompressed points travel
}

TEST(Spake2Test, RejectsOutOfRangeScalars) {
  Spake2::Scalar big;
  big.fill(0xff);
  EXPECT_FALSE(Spake2::create(Spake2::Role::kA, big));
  EXPECT_FALSE(Spake2::create(Spake2::Role::kA, Spake2::password_scalar("1"), Spake2::Scalar{}));
}

TEST(Spake2Test, ConstantTimeEqual) {
  const uint8_t x[] = {1, 2, 3}, y[] = {1, 2, 4};
  EXPECT_TRUE(constant_time_equal(x, x));
  EXPECT_FALSE(constant_time_equal(x, y));
  EXPECT_FALSE(constant_time_equal(x, std::span<const uint8_t>(x).first(2)));
}

}  // namespace
}  // namespace pf::crypto
