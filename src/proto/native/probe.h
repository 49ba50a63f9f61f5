// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "base/status.h"
#include "crypto/aead.h"
#include "proto/native/session_keys.h"
#include "proto/native/video_packet.h"

// The client's video probe (protocol section 4, packet type 0x11): a 32-byte
// header (type 0x11, the session id in the frame-index field, the client's
// packet number) and a 16-byte tag over an empty payload, sealed with the
// client->host key. It tells the host where to send video, and since only a
// holder of the session's keys can make one, nobody else can redirect the
// stream. Thread model: one object per thread.
namespace pf::proto::native {

inline constexpr size_t kProbeBytes = kVideoHeaderBytes + kAeadTagBytes;

class ProbeCodec {
 public:
  static Result<ProbeCodec> create(uint8_t cipher, const DirectionKeys& client_to_host);
  // A probe with the next packet number.
  std::array<uint8_t, kProbeBytes> seal(uint32_t session_id);
  // The probe's packet number if it is a probe of `session_id` with a valid tag.
  std::optional<uint64_t> open(std::span<const uint8_t> packet, uint32_t session_id);

 private:
  ProbeCodec(std::unique_ptr<crypto::Aead> aead, const std::array<uint8_t, 12>& iv)
      : aead_(std::move(aead)), iv_(iv) {}
  std::unique_ptr<crypto::Aead> aead_;
  std::array<uint8_t, 12> iv_;
  uint64_t next_pn_ = 0;
};

}  // namespace pf::proto::native
