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
#include "session/fec_policy.h"

namespace pf::session {

struct PacketizerConfig {
  uint16_t shard_bytes = 1408;  // a multiple of 64
  uint8_t fec_percent = 20;
  crypto::AeadAlgorithm cipher = crypto::AeadAlgorithm::kAes128Gcm;
  std::vector<uint8_t> key;  // 16 (AES-128-GCM) or 32 bytes
  std::array<uint8_t, crypto::kNonceBytes> iv_base{};
  uint8_t key_epoch = 0;
  size_t max_frame_bytes = 64u << 20;
  // Most data shards per FEC block; larger frames are cut into several
  // blocks (all but the last of one size; see fec_policy.h). 0: the largest
  // block within GF(2^8) at the current percentage (gf8_block_limit()).
  size_t block_limit = 0;
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

  // Packets of one frame, in send order: the blocks interleaved, shard 0 of
  // every block first, then shard 1, ... (data before parity in each block).
  // The spans point into the packetizer and stay valid until the next call.
  Result<std::span<const std::span<const uint8_t>>> packetize(const VideoFrame& frame);

  void set_fec_percent(uint8_t percent) { config_.fec_percent = percent; }
  void set_block_limit(size_t data_shards) { config_.block_limit = data_shards; }
  uint64_t next_packet_number() const { return next_pn_; }
  size_t packet_bytes() const;

 private:
  explicit Packetizer(PacketizerConfig config, std::unique_ptr<crypto::Aead> aead);
  void seal(const VideoFrame& f,
            bool last_block,
            const BlockShape& shape,
            size_t block,
            size_t shard,
            uint64_t packet_number,
            const uint8_t* plain,
            uint8_t* packet);

  PacketizerConfig config_;
  std::unique_ptr<crypto::Aead> aead_;
  fec::CauchyCodec gf8_;
  fec::LeopardCodec gf16_;
  uint64_t next_pn_ = 0;
  std::vector<uint8_t> pool_;
  std::vector<std::span<const uint8_t>> packets_;
  std::vector<const uint8_t*> data_ptrs_;  // into the frame, or staged_
  std::vector<uint8_t*> parity_ptrs_;      // into pool_
  std::vector<uint8_t> staged_;            // the first and last data shards
};

}  // namespace pf::session
