// SPDX-License-Identifier: MIT OR Apache-2.0
// OpenSSL EVP backends. The key is set once; each packet only sets the nonce.
#include <openssl/evp.h>

#include "crypto/aead.h"
#include "crypto/aead_backends.h"

namespace pf::crypto {
namespace {

class OpenSslAead final : public Aead {
 public:
  OpenSslAead(AeadAlgorithm alg) : alg_(alg) {}
  ~OpenSslAead() override {
    EVP_CIPHER_CTX_free(enc_);
    EVP_CIPHER_CTX_free(dec_);
  }

  Status init(std::span<const uint8_t> key) {
    const EVP_CIPHER* cipher =
        alg_ == AeadAlgorithm::kAes128Gcm ? EVP_aes_128_gcm() : EVP_chacha20_poly1305();
    enc_ = EVP_CIPHER_CTX_new();
    dec_ = EVP_CIPHER_CTX_new();
    if (!enc_ || !dec_)
      return Status(StatusCode::kResourceExhausted, "EVP_CIPHER_CTX_new failed");
    if (EVP_EncryptInit_ex(enc_, cipher, nullptr, key.data(), nullptr) != 1 ||
        EVP_DecryptInit_ex(dec_, cipher, nullptr, key.data(), nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(enc_, EVP_CTRL_AEAD_SET_IVLEN, kNonceBytes, nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(dec_, EVP_CTRL_AEAD_SET_IVLEN, kNonceBytes, nullptr) != 1)
      return Status(StatusCode::kInternal, "OpenSSL refused the AEAD key");
    return Status::ok();
  }

  void seal(std::span<const uint8_t, kNonceBytes> nonce,
            std::span<const uint8_t> aad,
            std::span<const uint8_t> pt,
            uint8_t* out) override {
    int len = 0;
    EVP_EncryptInit_ex(enc_, nullptr, nullptr, nullptr, nonce.data());
    if (!aad.empty())
      EVP_EncryptUpdate(enc_, nullptr, &len, aad.data(), static_cast<int>(aad.size()));
    EVP_EncryptUpdate(enc_, out, &len, pt.data(), static_cast<int>(pt.size()));
    EVP_EncryptFinal_ex(enc_, out + len, &len);
    EVP_CIPHER_CTX_ctrl(enc_, EVP_CTRL_AEAD_GET_TAG, kTagBytes, out + pt.size());
  }

  bool open(std::span<const uint8_t, kNonceBytes> nonce,
            std::span<const uint8_t> aad,
            std::span<const uint8_t> sealed,
            uint8_t* out) override {
    if (sealed.size() < kTagBytes)
      return false;
    const size_t n = sealed.size() - kTagBytes;
    // Copy the tag first: `out` may alias `sealed`.
    uint8_t tag[kTagBytes];
    for (size_t i = 0; i < kTagBytes; ++i)
      tag[i] = sealed[n + i];
    int len = 0;
    EVP_DecryptInit_ex(dec_, nullptr, nullptr, nullptr, nonce.data());
    if (!aad.empty())
      EVP_DecryptUpdate(dec_, nullptr, &len, aad.data(), static_cast<int>(aad.size()));
    EVP_DecryptUpdate(dec_, out, &len, sealed.data(), static_cast<int>(n));
    EVP_CIPHER_CTX_ctrl(dec_, EVP_CTRL_AEAD_SET_TAG, kTagBytes, tag);
    return EVP_DecryptFinal_ex(dec_, out + len, &len) == 1;
  }

  std::string_view name() const override {
    return alg_ == AeadAlgorithm::kAes128Gcm ? "AES-128-GCM (OpenSSL)"
                                             : "ChaCha20-Poly1305 (OpenSSL)";
  }

 private:
  AeadAlgorithm alg_;
  EVP_CIPHER_CTX* enc_ = nullptr;
  EVP_CIPHER_CTX* dec_ = nullptr;
};

}  // namespace

Result<std::unique_ptr<Aead>> make_openssl_aead(AeadAlgorithm alg, std::span<const uint8_t> key) {
  auto a = std::make_unique<OpenSslAead>(alg);
  if (Status s = a->init(key); !s.is_ok())
    return tl::unexpected(s);
  return std::unique_ptr<Aead>(std::move(a));
}

}  // namespace pf::crypto
