// SPDX-License-Identifier: MIT OR Apache-2.0
#include "crypto/aead.h"

#include <array>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace pf::crypto {
namespace {

std::vector<uint8_t> hex(const std::string& s) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < s.size(); i += 2)
    out.push_back(std::stoi(s.substr(i, 2), nullptr, 16));
  return out;
}

std::array<uint8_t, kNonceBytes> nonce_of(const std::vector<uint8_t>& v) {
  std::array<uint8_t, kNonceBytes> n{};
  std::copy(v.begin(), v.end(), n.begin());
  return n;
}

// GCM specification (McGrew & Viega), test case 4: AES-128, 60-byte plaintext, 20-byte AAD.
TEST(AeadTest, AesGcmKnownAnswerBothBackends) {
  const auto key = hex("feffe9928665731c6d6a8f9467308308");
  const auto iv = nonce_of(hex("cafebabefacedbaddecaf888"));
  const auto aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  const auto pt =
      hex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e24"
          "49a6b525b16aedf5aa0de657ba637b39");
  const auto ct =
      hex("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5a"
          "ac84aa051ba30b396a0aac973d58e091");
  const auto tag = hex("5bc94fbc3221a5db94fae95ae7121a47");
  for (AeadBackend b : {AeadBackend::kIpsecMb, AeadBackend::kOpenSsl}) {
    auto a = Aead::create(AeadAlgorithm::kAes128Gcm, key, b);
    ASSERT_TRUE(a) << a.error().to_string();
    std::vector<uint8_t> out(pt.size() + kTagBytes);
    (*a)->seal(iv, aad, pt, out.data());
    EXPECT_TRUE(std::equal(ct.begin(), ct.end(), out.begin())) << (*a)->name();
    EXPECT_TRUE(std::equal(tag.begin(), tag.end(), out.begin() + pt.size())) << (*a)->name();
    std::vector<uint8_t> back(pt.size());
    EXPECT_TRUE((*a)->open(iv, aad, out, back.data()));
    EXPECT_EQ(back, pt);
  }
}

// RFC 8439 section 2.8.2.
TEST(AeadTest, ChaChaPolyKnownAnswer) {
  std::vector<uint8_t> key(32);
  for (int i = 0; i < 32; ++i)
    key[i] = static_cast<uint8_t>(0x80 + i);
  const auto nonce = nonce_of(hex("070000004041424344454647"));
  const auto aad = hex("50515253c0c1c2c3c4c5c6c7");
  const std::string text =
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the "
      "future, sunscreen would be it.";
  std::vector<uint8_t> pt(text.begin(), text.end());
  auto a = Aead::create(AeadAlgorithm::kChaCha20Poly1305, key);
  ASSERT_TRUE(a);
  std::vector<uint8_t> out(pt.size() + kTagBytes);
  (*a)->seal(nonce, aad, pt, out.data());
  const auto ct_start = hex("d31a8d34648e60db7b86afbc53ef7ec2");
  const auto tag = hex("1ae10b594f09e26a7e902ecbd0600691");
  EXPECT_TRUE(std::equal(ct_start.begin(), ct_start.end(), out.begin()));
  EXPECT_TRUE(std::equal(tag.begin(), tag.end(), out.begin() + pt.size()));
}

TEST(AeadTest, IpsecMbIsByteIdenticalToOpenSsl) {
  const uint32_t seed = 1701;
  std::mt19937 rng(seed);
  std::vector<uint8_t> key(16);
  for (auto& k : key)
    k = static_cast<uint8_t>(rng());
  auto fast = Aead::create(AeadAlgorithm::kAes128Gcm, key, AeadBackend::kIpsecMb);
  auto ref = Aead::create(AeadAlgorithm::kAes128Gcm, key, AeadBackend::kOpenSsl);
  ASSERT_TRUE(fast && ref);
  std::array<uint8_t, kNonceBytes> iv{};
  for (size_t len : {0, 1, 15, 16, 17, 63, 64, 255, 1408, 1409, 8960}) {
    for (int iter = 0; iter < 3; ++iter) {
      for (auto& b : iv)
        b = static_cast<uint8_t>(rng());
      std::vector<uint8_t> pt(len), aad(32);
      for (auto& b : pt)
        b = static_cast<uint8_t>(rng());
      for (auto& b : aad)
        b = static_cast<uint8_t>(rng());
      std::vector<uint8_t> a(len + kTagBytes), b(len + kTagBytes);
      (*fast)->seal(iv, aad, pt, a.data());
      (*ref)->seal(iv, aad, pt, b.data());
      ASSERT_EQ(a, b) << "len " << len << " seed " << seed;
      std::vector<uint8_t> back(len);
      ASSERT_TRUE((*ref)->open(iv, aad, a, back.data()));
      ASSERT_TRUE((*fast)->open(iv, aad, b, back.data()));
      ASSERT_EQ(back, pt);
    }
  }
}

// The library's manager is per thread, the key per instance: a key made on one
// thread seals on a second and opens on a third (as a session's keys are made
// by its control thread and used by its media threads), matching OpenSSL.
TEST(AeadTest, AnIpsecMbKeyWorksOnOtherThreadsThanItsOwn) {
  std::vector<uint8_t> key(16, 0x5a), aad(20, 0x11), pt(1408);
  for (size_t i = 0; i < pt.size(); ++i)
    pt[i] = static_cast<uint8_t>(i * 7);
  const std::array<uint8_t, kNonceBytes> iv{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  std::unique_ptr<Aead> fast;
  std::thread([&] {
    auto a = Aead::create(AeadAlgorithm::kAes128Gcm, key, AeadBackend::kIpsecMb);
    ASSERT_TRUE(a) << a.error().to_string();
    fast = std::move(*a);
  }).join();
  ASSERT_TRUE(fast);
  auto ref = Aead::create(AeadAlgorithm::kAes128Gcm, key, AeadBackend::kOpenSsl);
  ASSERT_TRUE(ref);
  std::vector<uint8_t> sealed(pt.size() + kTagBytes), expected(pt.size() + kTagBytes);
  std::thread([&] { fast->seal(iv, aad, pt, sealed.data()); }).join();
  (*ref)->seal(iv, aad, pt, expected.data());
  EXPECT_EQ(sealed, expected);
  std::vector<uint8_t> back(pt.size());
  bool opened = false;
  std::thread([&] { opened = fast->open(iv, aad, sealed, back.data()); }).join();
  EXPECT_TRUE(opened);
  EXPECT_EQ(back, pt);
}

TEST(AeadTest, AnyTamperingFailsAndInPlaceWorks) {
  std::vector<uint8_t> key(16, 7), key32(32, 9);
  for (auto [alg, k] : {std::pair{AeadAlgorithm::kAes128Gcm, key},
                        std::pair{AeadAlgorithm::kChaCha20Poly1305, key32}}) {
    for (AeadBackend be : {AeadBackend::kAuto, AeadBackend::kOpenSsl}) {
      auto a = Aead::create(alg, k, be);
      ASSERT_TRUE(a);
      std::array<uint8_t, kNonceBytes> iv{1, 2, 3};
      std::vector<uint8_t> aad(32, 0xAB), buf(100 + kTagBytes);
      for (size_t i = 0; i < 100; ++i)
        buf[i] = static_cast<uint8_t>(i);
      const std::vector<uint8_t> pt(buf.begin(), buf.begin() + 100);
      (*a)->seal(iv, aad, std::span<const uint8_t>(buf.data(), 100), buf.data());  // in place
      const auto sealed = buf;
      std::vector<uint8_t> out(100);
      EXPECT_TRUE((*a)->open(iv, aad, sealed, out.data())) << (*a)->name();
      EXPECT_EQ(out, pt);
      for (size_t pos : {0ul, 50ul, 99ul, 100ul, 115ul}) {  // ciphertext and tag
        auto bad = sealed;
        bad[pos] ^= 1;
        EXPECT_FALSE((*a)->open(iv, aad, bad, out.data())) << (*a)->name() << " byte " << pos;
      }
      auto bad_aad = aad;
      bad_aad[31] ^= 0x80;
      EXPECT_FALSE((*a)->open(iv, bad_aad, sealed, out.data()));
      auto bad_iv = iv;
      bad_iv[11] ^= 1;
      EXPECT_FALSE((*a)->open(bad_iv, aad, sealed, out.data()));
      EXPECT_FALSE((*a)->open(iv, aad, std::span<const uint8_t>(sealed.data(), 15), out.data()));
      // In-place open.
      auto inplace = sealed;
      EXPECT_TRUE((*a)->open(iv, aad, inplace, inplace.data()));
      EXPECT_TRUE(std::equal(pt.begin(), pt.end(), inplace.begin()));
    }
  }
}

TEST(AeadTest, BadKeysAndBackendsAreErrors) {
  std::vector<uint8_t> k15(15), k16(16), k32(32);
  EXPECT_EQ(Aead::create(AeadAlgorithm::kAes128Gcm, k15).error().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Aead::create(AeadAlgorithm::kChaCha20Poly1305, k16).error().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(
      Aead::create(AeadAlgorithm::kChaCha20Poly1305, k32, AeadBackend::kIpsecMb).error().code(),
      StatusCode::kInvalidArgument);
  auto a = Aead::create(AeadAlgorithm::kAes128Gcm, k16);
  ASSERT_TRUE(a);
  EXPECT_NE((*a)->name().find("ipsec-mb"), std::string_view::npos)
      << "auto should pick the fast one";
}

TEST(AeadTest, NonceIsIvXorBigEndianPacketNumber) {
  const std::array<uint8_t, kNonceBytes> iv{0x10, 0x11, 0x12, 0x13, 0xA0, 0xA1,
                                            0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7};
  std::array<uint8_t, kNonceBytes> out{};
  make_nonce(iv, 0x0102030405060708ull, out);
  const std::array<uint8_t, kNonceBytes> want{0x10, 0x11, 0x12, 0x13, 0xA1, 0xA3,
                                              0xA1, 0xA7, 0xA1, 0xA3, 0xA1, 0xAF};
  EXPECT_EQ(out, want);
}

}  // namespace
}  // namespace pf::crypto
