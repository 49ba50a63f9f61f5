// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "base/status.h"

// The 32-byte clear header of a punktfunk/1 video packet (protocol section 4).
// It is authenticated as AAD; the sealed shard and the 16-byte tag follow it.
namespace pf::proto::native {

inline constexpr size_t kVideoHeaderBytes = 32;
inline constexpr size_t kAeadTagBytes = 16;

enum class PacketType : uint8_t {
  kVideoShard = 0x10,
  kClientProbe = 0x11,  // client -> host: binds the client's address
  kHostProbeReply = 0x12,
};

// Flag bits of byte 1.
inline constexpr uint8_t kFlagKeyframe = 0x01;
inline constexpr uint8_t kFlagParity = 0x02;
inline constexpr uint8_t kFlagLastBlock = 0x04;
inline constexpr uint8_t kFlagGf16 = 0x08;
// A P-frame that references only frames before the range of the client's last
// InvalidateRefs: a receiver waiting after a loss may decode from here.
inline constexpr uint8_t kFlagRecovery = 0x10;
inline constexpr uint8_t kKnownFlags = 0x1F;

struct VideoHeader {
  PacketType type = PacketType::kVideoShard;
  uint8_t flags = 0;
  uint8_t key_epoch = 0;
  uint64_t packet_number = 0;
  uint32_t frame_index = 0;  // from 1
  uint64_t capture_us = 0;   // host clock
  uint16_t block_index = 0;  // within the frame
  uint16_t shard_index = 0;  // 0..k-1 data, k..k+m-1 parity
  uint16_t k = 0;            // data shards in this block
  uint16_t m = 0;            // parity shards in this block

  bool keyframe() const { return flags & kFlagKeyframe; }
  bool parity() const { return flags & kFlagParity; }
  bool last_block() const { return flags & kFlagLastBlock; }
  bool gf16() const { return flags & kFlagGf16; }
  bool recovery() const { return flags & kFlagRecovery; }
  friend bool operator==(const VideoHeader&, const VideoHeader&) = default;
};

// Writes the 32 bytes; `out` must hold kVideoHeaderBytes.
void write_video_header(const VideoHeader& h, std::span<uint8_t, kVideoHeaderBytes> out);

// Parses and validates a header (known type and flags, reserved byte 0, for
// video shards: k >= 1, m >= 1, shard index < k + m, parity flag consistent
// with the index, GF(2^8) blocks within 255 shards). Never reads past `in`.
Result<VideoHeader> parse_video_header(std::span<const uint8_t> in);

}  // namespace pf::proto::native
