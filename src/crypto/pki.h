// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

// Public-key and hashing primitives over OpenSSL 3, as GameStream pairing
// needs them: self-signed RSA identities, raw certificate signature bytes,
// RSA-PKCS#1-v1.5-SHA-256 signatures, SHA-256, AES-128-ECB without padding.
// PEM text in and out (that is what is stored and exchanged). All functions
// are thread-safe.
namespace pf::crypto {

struct PemIdentity {
  std::string cert_pem;  // X.509 v3, self-signed, SHA-256
  std::string key_pem;   // PKCS#8 private key
};

// A new RSA key of `bits` and a self-signed certificate with CN =
// common_name, valid from now for `years`, with a random positive serial
// (or serial 0, as every Moonlight client's certificate has).
Result<PemIdentity> make_self_signed_rsa(std::string_view common_name,
                                         int years = 20,
                                         int bits = 2048,
                                         bool serial_zero = false);

// A new ECDSA P-256 key and a self-signed certificate (punktfunk/1 identities).
Result<PemIdentity> make_self_signed_p256(std::string_view common_name, int years = 20);

// The DER encoding of a PEM certificate (kInvalidArgument if it does not parse).
Result<std::vector<uint8_t>> certificate_der(std::string_view cert_pem);
// The bytes of the certificate's signatureValue BIT STRING.
Result<std::vector<uint8_t>> certificate_signature(std::string_view cert_pem);
// The certificate's common name.
Result<std::string> certificate_common_name(std::string_view cert_pem);
// PEM text of a DER certificate.
Result<std::string> certificate_pem_from_der(std::span<const uint8_t> der);

Result<std::vector<uint8_t>> rsa_sha256_sign(std::string_view key_pem,
                                             std::span<const uint8_t> data);
// True if `signature` is a valid RSA-PKCS#1-v1.5-SHA-256 signature of `data`
// by the certificate's key.
bool rsa_sha256_verify(std::string_view cert_pem,
                       std::span<const uint8_t> data,
                       std::span<const uint8_t> signature);

using Sha256 = std::array<uint8_t, 32>;
Sha256 sha256(std::span<const uint8_t> data);
// SHA-256 of the concatenation of the parts.
Sha256 sha256_concat(std::initializer_list<std::span<const uint8_t>> parts);

// AES-128-ECB, no padding: data must be a multiple of 16 bytes.
Result<std::vector<uint8_t>> aes128_ecb(bool encrypt,
                                        std::span<const uint8_t> key,
                                        std::span<const uint8_t> data);

// Cryptographically strong random bytes.
void random_bytes(std::span<uint8_t> out);

}  // namespace pf::crypto
