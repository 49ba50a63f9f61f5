// SPDX-License-Identifier: MIT OR Apache-2.0
#include "crypto/pki.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <memory>

#include <fmt/format.h>

#include "base/check.h"

namespace pf::crypto {

namespace {

template <auto Fn>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Fn(p);
  }
};
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;

X509Ptr parse_cert(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio)
    return nullptr;
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

PkeyPtr parse_key(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio)
    return nullptr;
  return PkeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

Status bad_cert() {
  return Status(StatusCode::kInvalidArgument, "not a PEM X.509 certificate");
}

}  // namespace

namespace {
// A self-signed SHA-256 certificate for `key`, as PEM text with the key.
Result<PemIdentity> self_signed(EVP_PKEY* key,
                                std::string_view common_name,
                                int years,
                                bool serial_zero) {
  X509Ptr cert(X509_new());
  if (!cert)
    return make_error(StatusCode::kInternal, "certificate allocation failed");
  X509_set_version(cert.get(), 2);
  // A random positive 159-bit serial.
  BnPtr serial(BN_new());
  if (serial_zero)
    BN_zero(serial.get());
  else
    BN_rand(serial.get(), 159, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY);
  BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get()));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * 365 * years);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  const std::string cn(common_name);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (X509_sign(cert.get(), key, EVP_sha256()) <= 0)
    return make_error(StatusCode::kInternal, "certificate signing failed");
  BioPtr cb(BIO_new(BIO_s_mem())), kb(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_X509(cb.get(), cert.get()) ||
      !PEM_write_bio_PrivateKey(kb.get(), key, nullptr, nullptr, 0, nullptr, nullptr))
    return make_error(StatusCode::kInternal, "PEM encoding failed");
  return PemIdentity{bio_text(cb.get()), bio_text(kb.get())};
}
}  // namespace

Result<PemIdentity> make_self_signed_rsa(std::string_view common_name,
                                         int years,
                                         int bits,
                                         bool serial_zero) {
  PkeyPtr key(EVP_RSA_gen(static_cast<unsigned>(bits)));
  if (!key)
    return make_error(StatusCode::kInternal, "RSA key generation failed");
  return self_signed(key.get(), common_name, years, serial_zero);
}

Result<PemIdentity> make_self_signed_p256(std::string_view common_name, int years) {
  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key)
    return make_error(StatusCode::kInternal, "P-256 key generation failed");
  return self_signed(key.get(), common_name, years, false);
}

Result<std::vector<uint8_t>> certificate_der(std::string_view cert_pem) {
  X509Ptr cert = parse_cert(cert_pem);
  if (!cert)
    return tl::unexpected(bad_cert());
  unsigned char* der = nullptr;
  const int n = i2d_X509(cert.get(), &der);
  if (n <= 0)
    return tl::unexpected(bad_cert());
  std::vector<uint8_t> out(der, der + n);
  OPENSSL_free(der);
  return out;
}

Result<std::vector<uint8_t>> certificate_signature(std::string_view cert_pem) {
  X509Ptr cert = parse_cert(cert_pem);
  if (!cert)
    return tl::unexpected(bad_cert());
  const ASN1_BIT_STRING* sig = nullptr;
  X509_get0_signature(&sig, nullptr, cert.get());
  if (!sig)
    return tl::unexpected(bad_cert());
  const uint8_t* p = ASN1_STRING_get0_data(sig);
  return std::vector<uint8_t>(p, p + ASN1_STRING_length(sig));
}

Result<std::string> certificate_common_name(std::string_view cert_pem) {
  X509Ptr cert = parse_cert(cert_pem);
  if (!cert)
    return tl::unexpected(bad_cert());
  char buf[256] = {};
  if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert.get()), NID_commonName, buf,
                                sizeof buf) < 0)
    return std::string();
  return std::string(buf);
}

Result<std::string> certificate_pem_from_der(std::span<const uint8_t> der) {
  const unsigned char* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert)
    return make_error(StatusCode::kInvalidArgument, "not a DER X.509 certificate");
  BioPtr b(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(b.get(), cert.get());
  return bio_text(b.get());
}

Result<std::vector<uint8_t>> rsa_sha256_sign(std::string_view key_pem,
                                             std::span<const uint8_t> data) {
  PkeyPtr key = parse_key(key_pem);
  if (!key)
    return make_error(StatusCode::kInvalidArgument, "not a PEM private key");
  MdCtxPtr ctx(EVP_MD_CTX_new());
  size_t n = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &n, data.data(), data.size()) != 1)
    return make_error(StatusCode::kInternal, "signing failed");
  std::vector<uint8_t> sig(n);
  if (EVP_DigestSign(ctx.get(), sig.data(), &n, data.data(), data.size()) != 1)
    return make_error(StatusCode::kInternal, "signing failed");
  sig.resize(n);
  return sig;
}

bool rsa_sha256_verify(std::string_view cert_pem,
                       std::span<const uint8_t> data,
                       std::span<const uint8_t> signature) {
  X509Ptr cert = parse_cert(cert_pem);
  if (!cert)
    return false;
  EVP_PKEY* key = X509_get0_pubkey(cert.get());
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!key || !ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1)
    return false;
  return EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), data.data(),
                          data.size()) == 1;
}

Sha256 sha256(std::span<const uint8_t> data) {
  return sha256_concat({data});
}

Sha256 sha256_concat(std::initializer_list<std::span<const uint8_t>> parts) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  PF_CHECK(ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) == 1);
  for (auto p : parts)
    EVP_DigestUpdate(ctx.get(), p.data(), p.size());
  Sha256 out;
  unsigned n = 0;
  EVP_DigestFinal_ex(ctx.get(), out.data(), &n);
  return out;
}

Result<std::vector<uint8_t>> aes128_ecb(bool encrypt,
                                        std::span<const uint8_t> key,
                                        std::span<const uint8_t> data) {
  if (key.size() != 16)
    return make_error(StatusCode::kInvalidArgument, "AES-128 needs a 16-byte key");
  if (data.size() % 16 != 0)
    return make_error(
        StatusCode::kInvalidArgument,
        fmt::format("AES-ECB without padding needs whole blocks, got {} bytes", data.size()));
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  std::vector<uint8_t> out(data.size());
  int n = 0;
  if (!ctx ||
      EVP_CipherInit_ex(ctx.get(), EVP_aes_128_ecb(), nullptr, key.data(), nullptr,
                        encrypt ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
      EVP_CipherUpdate(ctx.get(), out.data(), &n, data.data(), static_cast<int>(data.size())) != 1)
    return make_error(StatusCode::kInternal, "AES-ECB failed");
  return out;
}

void random_bytes(std::span<uint8_t> out) {
  PF_CHECK(RAND_bytes(out.data(), static_cast<int>(out.size())) == 1);
}

}  // namespace pf::crypto
