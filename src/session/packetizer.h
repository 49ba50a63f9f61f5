// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "base/status.h"
#include "crypto/aead.h"
#include "fec/cauchy_codec.h"
#include "fec/leopard_codec.h"

namespace pf::session {

struct PacketizerConfig {
  uint16_t shard_bytes = 1408;  // a multiple of 64
  uint8_t fec_percent = 20;
  crypto::AeadAlgorithm cipher = crypto::AeadAlgorithm::kAes128Gcm;
  std::vector<uint8_t> key;  // 16 (AES-128-GCM) or 32 bytes
  std::array<uint8_t, crypto::kNonceBytes> iv_base{};
  uint8_t key_epoch = 0;
  size_t max_frame_bytes = 64u << 20;
};

struct VideoFrame {
  std::span<const uint8_t> data;  // one encoded access unit
  uint32_t frame_index = 0;       // from 1
  uint64_t capture_us = 0;
  bool keyframe = false;
  bool recovery = false;  // references only frames before the last InvalidateRefs
};

// Turns encoded frames into sealed, FEC-protected punktfunk/1 video packets
// (protocol section 4): the frame, prefixed with its u32 length and zero
// padded, is cut into shards of `shard_bytes`, grouped into blocks per the FEC
// policy, parity computed over the plaintext, then each packet (32-byte header
// as AAD, shard, 16-byte tag) sealed on its own with nonce = IV base XOR packet
// number.
//
// Sans-I/O: no sockets, no clock. Thread model: not thread-safe; one per
// sending session (it owns the packet number). Steady state allocates nothing:
// the packet pool and scratch grow to the largest frame seen and are reused.
class Packetizer {
 public:
  static Result<std::unique_ptr<Packetizer>> create(const PacketizerConfig& config);

  // Packets of one frame, in send order (per block: data shards, then parity).
  // The spans point into the packetizer and stay valid until the next call.
  Result<std::span<const std::span<const uint8_t>>> packetize(const VideoFrame& frame);

  void set_fec_percent(uint8_t percent) { config_.fec_percent = percent; }
  uint64_t next_packet_number() const { return next_pn_; }
  size_t packet_bytes() const;

 private:
  explicit Packetizer(PacketizerConfig config, std::unique_ptr<crypto::Aead> aead);

  PacketizerConfig config_;
  std::unique_ptr<crypto::Aead> aead_;
  fec::CauchyCodec gf8_;
  fec::LeopardCodec gf16_;
  uint64_t next_pn_ = 0;
  std::vector<uint8_t> pool_;
  std::vector<std::span<const uint8_t>> packets_;
  std::vector<uint8_t*> shard_ptrs_;
};

}  // namespace pf::session
