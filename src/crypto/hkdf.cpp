// SPDX-License-Identifier: MIT OR Apache-2.0
#include "crypto/hkdf.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

namespace pf::crypto {
namespace {

Result<std::vector<uint8_t>> derive(int mode,
                                    std::span<const uint8_t> key,
                                    std::span<const uint8_t> salt,
                                    std::span<const uint8_t> info,
                                    size_t length) {
  if (length == 0 || length > 255 * 32)
    return make_error(StatusCode::kInvalidArgument, "HKDF output length out of range");
  if (mode == EVP_KDF_HKDF_MODE_EXPAND_ONLY && key.size() < 32)
    return make_error(StatusCode::kInvalidArgument, "HKDF-Expand needs a key of 32+ bytes");
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  EVP_KDF_CTX* ctx = kdf ? EVP_KDF_CTX_new(kdf) : nullptr;
  EVP_KDF_free(kdf);
  if (!ctx)
    return make_error(StatusCode::kInternal, "OpenSSL has no HKDF");
  char digest[] = "SHA256";
  OSSL_PARAM params[6];
  size_t n = 0;
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
  params[n++] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
  params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
                                                  const_cast<uint8_t*>(key.data()), key.size());
  if (!salt.empty())
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
                                                    const_cast<uint8_t*>(salt.data()), salt.size());
  params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
                                                  const_cast<uint8_t*>(info.data()), info.size());
  params[n] = OSSL_PARAM_construct_end();
  std::vector<uint8_t> out(length);
  const int ok = EVP_KDF_derive(ctx, out.data(), out.size(), params);
  EVP_KDF_CTX_free(ctx);
  if (ok != 1)
    return make_error(StatusCode::kInternal, "HKDF failed");
  return out;
}

}  // namespace

Result<std::vector<uint8_t>> hkdf_expand_sha256(std::span<const uint8_t> prk,
                                                std::span<const uint8_t> info,
                                                size_t length) {
  return derive(EVP_KDF_HKDF_MODE_EXPAND_ONLY, prk, {}, info, length);
}

Result<std::vector<uint8_t>> hkdf_sha256(std::span<const uint8_t> ikm,
                                         std::span<const uint8_t> salt,
                                         std::span<const uint8_t> info,
                                         size_t length) {
  return derive(EVP_KDF_HKDF_MODE_EXTRACT_AND_EXPAND, ikm, salt, info, length);
}

}  // namespace pf::crypto
