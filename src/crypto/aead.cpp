// SPDX-License-Identifier: MIT OR Apache-2.0
#include "crypto/aead.h"

#include <fmt/format.h>

#include "crypto/aead_backends.h"

namespace pf::crypto {

void make_nonce(std::span<const uint8_t, kNonceBytes> iv_base,
                uint64_t packet_number,
                std::span<uint8_t, kNonceBytes> out) {
  for (size_t i = 0; i < 4; ++i)
    out[i] = iv_base[i];
  for (size_t i = 0; i < 8; ++i)
    out[4 + i] = static_cast<uint8_t>(iv_base[4 + i] ^ (packet_number >> (8 * (7 - i))));
}

Result<std::unique_ptr<Aead>> Aead::create(AeadAlgorithm alg,
                                           std::span<const uint8_t> key,
                                           AeadBackend backend) {
  const size_t want = alg == AeadAlgorithm::kAes128Gcm ? 16 : 32;
  if (alg != AeadAlgorithm::kAes128Gcm && alg != AeadAlgorithm::kChaCha20Poly1305)
    return make_error(StatusCode::kInvalidArgument, "unknown AEAD algorithm");
  if (key.size() != want)
    return make_error(StatusCode::kInvalidArgument,
                      fmt::format("AEAD key must be {} bytes, got {}", want, key.size()));
  if (alg == AeadAlgorithm::kChaCha20Poly1305) {
    if (backend == AeadBackend::kIpsecMb)
      return make_error(StatusCode::kInvalidArgument,
                        "the intel-ipsec-mb backend only provides AES-128-GCM");
    return make_openssl_aead(alg, key);
  }
  if (backend == AeadBackend::kOpenSsl)
    return make_openssl_aead(alg, key);
  auto fast = make_ipsecmb_aes_gcm(key);
  if (fast || backend == AeadBackend::kIpsecMb)
    return fast;
  return make_openssl_aead(alg, key);  // kAuto: fall back
}

}  // namespace pf::crypto
