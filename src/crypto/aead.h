// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "base/status.h"

// Per-packet authenticated encryption for the video data plane: AES-128-GCM
// (Intel's multi-buffer crypto library, ~4x OpenSSL 3.0 here; OpenSSL EVP as
// fallback and test reference) and ChaCha20-Poly1305 (OpenSSL) for CPUs
// without AES-NI. 12-byte nonces, 16-byte tags.
namespace pf::crypto {

inline constexpr size_t kNonceBytes = 12;
inline constexpr size_t kTagBytes = 16;

enum class AeadAlgorithm : uint8_t {
  kAes128Gcm = 1,         // punktfunk/1 cipher bit 1
  kChaCha20Poly1305 = 2,  // cipher bit 2
};

enum class AeadBackend : uint8_t {
  kAuto,     // the fastest available
  kIpsecMb,  // AES-128-GCM only
  kOpenSsl,
};

// Nonce = iv_base XOR (4 zero bytes || packet number as big-endian u64).
void make_nonce(std::span<const uint8_t, kNonceBytes> iv_base,
                uint64_t packet_number,
                std::span<uint8_t, kNonceBytes> out);

// One key, expanded once. Thread model: not thread-safe (each instance owns
// its cipher state); use one per thread. seal/open never allocate.
class Aead {
 public:
  virtual ~Aead() = default;

  // AES-128-GCM takes a 16-byte key, ChaCha20-Poly1305 a 32-byte key.
  static Result<std::unique_ptr<Aead>> create(AeadAlgorithm algorithm,
                                              std::span<const uint8_t> key,
                                              AeadBackend backend = AeadBackend::kAuto);

  // Encrypts `plaintext` into out[0, n) and writes the tag to out[n, n + 16).
  // `out` may equal plaintext.data() (in place).
  virtual void seal(std::span<const uint8_t, kNonceBytes> nonce,
                    std::span<const uint8_t> aad,
                    std::span<const uint8_t> plaintext,
                    uint8_t* out) = 0;

  // `sealed` = ciphertext || tag. Writes sealed.size() - 16 bytes of plaintext
  // to `out` (may alias) and returns true, or returns false if the tag does not
  // verify (then `out` holds garbage and must be discarded).
  virtual bool open(std::span<const uint8_t, kNonceBytes> nonce,
                    std::span<const uint8_t> aad,
                    std::span<const uint8_t> sealed,
                    uint8_t* out) = 0;

  virtual std::string_view name() const = 0;
};

}  // namespace pf::crypto
