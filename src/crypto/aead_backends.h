// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <memory>
#include <span>

#include "crypto/aead.h"

namespace pf::crypto {
// Backend factories used by Aead::create (key length already checked).
Result<std::unique_ptr<Aead>> make_openssl_aead(AeadAlgorithm alg, std::span<const uint8_t> key);
Result<std::unique_ptr<Aead>> make_ipsecmb_aes_gcm(std::span<const uint8_t> key);
}  // namespace pf::crypto
