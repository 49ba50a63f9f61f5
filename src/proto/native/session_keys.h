// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"

// Video key derivation (protocol section 4). Both sides export
// TLS-Exporter(label, context = session id as u32 little-endian, 44 bytes)
// from the QUIC connection, then per direction
// HKDF-Expand-SHA256(exporter, "h2c" | "c2h", 44) = key[32] | iv_base[12];
// AES-128-GCM uses the first 16 key bytes. Epoch 0 uses the label
// "EXPORTER-punktfunk-video", epoch n > 0 "EXPORTER-punktfunk-video-<n>".
// Sans-I/O: the caller does the export. Thread model: free functions.
namespace pf::proto::native {

inline constexpr size_t kExporterBytes = 44;

enum class KeyDirection { kHostToClient, kClientToHost };

struct DirectionKeys {
  std::array<uint8_t, 32> key{};
  std::array<uint8_t, 12> iv_base{};
  friend bool operator==(const DirectionKeys&, const DirectionKeys&) = default;
};

std::string video_exporter_label(uint8_t epoch);
std::array<uint8_t, 4> video_exporter_context(uint32_t session_id);
Result<DirectionKeys> derive_video_keys(std::span<const uint8_t> exporter, KeyDirection direction);
// The key bytes the cipher uses: 16 for AES-128-GCM (1), 32 for ChaCha20-Poly1305 (2).
std::vector<uint8_t> cipher_key(const DirectionKeys& keys, uint8_t cipher);

}  // namespace pf::proto::native
