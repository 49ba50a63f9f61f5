// SPDX-License-Identifier: MIT OR Apache-2.0
#include "session/packetizer.h"

#include <cstring>

#include <fmt/format.h>

#include "proto/native/video_packet.h"
#include "session/fec_policy.h"

namespace pf::session {

using proto::native::kAeadTagBytes;
using proto::native::kVideoHeaderBytes;

Result<std::unique_ptr<Packetizer>> Packetizer::create(const PacketizerConfig& config) {
  if (config.shard_bytes == 0 || config.shard_bytes % 64 != 0)
    return make_error(
        StatusCode::kInvalidArgument,
        fmt::format("shard size {} must be a positive multiple of 64", config.shard_bytes));
  auto aead = crypto::Aead::create(config.cipher, config.key);
  if (!aead)
    return tl::unexpected(aead.error());
  return std::unique_ptr<Packetizer>(new Packetizer(config, std::move(*aead)));
}

Packetizer::Packetizer(PacketizerConfig config, std::unique_ptr<crypto::Aead> aead)
    : config_(std::move(config)), aead_(std::move(aead)) {}

size_t Packetizer::packet_bytes() const {
  return kVideoHeaderBytes + config_.shard_bytes + kAeadTagBytes;
}

Result<std::span<const std::span<const uint8_t>>> Packetizer::packetize(const VideoFrame& f) {
  const size_t s = config_.shard_bytes;
  const unsigned pct = config_.fec_percent;
  if (f.frame_index == 0)
    return make_error(StatusCode::kInvalidArgument, "frame index 0");
  if (f.data.size() > config_.max_frame_bytes)
    return make_error(StatusCode::kInvalidArgument,
                      fmt::format("frame of {} bytes exceeds the {}-byte limit", f.data.size(),
                                  config_.max_frame_bytes));
  const size_t total_k = data_shards_for(f.data.size(), s);
  const size_t blocks = block_count(total_k, pct);
  if (blocks > kMaxBlocksPerFrame)
    return make_error(StatusCode::kInvalidArgument, "frame needs more than 65535 FEC blocks");
  size_t total_packets = 0;
  for (size_t b = 0; b < blocks; ++b) {
    const auto shape = block_shape(block_data_shards(total_k, blocks, b), pct);
    total_packets += shape.k + shape.m;
  }
  const size_t pb = packet_bytes();
  if (pool_.size() < total_packets * pb)
    pool_.resize(total_packets * pb);
  packets_.resize(total_packets);

  // The byte stream the data shards carry: u32 LE length, the frame, zeros.
  uint8_t prefix[4];
  const auto len = static_cast<uint32_t>(f.data.size());
  for (int i = 0; i < 4; ++i)
    prefix[i] = static_cast<uint8_t>(len >> (8 * i));
  auto stream_copy = [&](size_t offset, uint8_t* dst) {
    size_t done = 0;
    while (done < s) {
      const size_t at = offset + done;
      if (at < 4) {
        dst[done++] = prefix[at];
      } else if (at - 4 < f.data.size()) {
        const size_t n = std::min(s - done, f.data.size() - (at - 4));
        std::memcpy(dst + done, f.data.data() + (at - 4), n);
        done += n;
      } else {
        std::memset(dst + done, 0, s - done);
        done = s;
      }
    }
  };

  size_t packet = 0, first_shard = 0;
  for (size_t b = 0; b < blocks; ++b) {
    const auto shape = block_shape(block_data_shards(total_k, blocks, b), pct);
    const size_t n = shape.k + shape.m;
    shard_ptrs_.resize(n);
    for (size_t i = 0; i < n; ++i)
      shard_ptrs_[i] = pool_.data() + (packet + i) * pb + kVideoHeaderBytes;
    for (size_t i = 0; i < shape.k; ++i)
      stream_copy((first_shard + i) * s, shard_ptrs_[i]);
    const Status st =
        shape.gf16
            ? gf16_.encode(shape.k, shape.m, s, shard_ptrs_.data(), shard_ptrs_.data() + shape.k)
            : gf8_.encode(shape.k, shape.m, s, shard_ptrs_.data(), shard_ptrs_.data() + shape.k);
    if (!st.is_ok())
      return tl::unexpected(st);
    for (size_t i = 0; i < n; ++i) {
      uint8_t* p = pool_.data() + (packet + i) * pb;
      proto::native::VideoHeader h;
      h.flags = static_cast<uint8_t>((f.keyframe ? proto::native::kFlagKeyframe : 0) |
                                     (f.recovery ? proto::native::kFlagRecovery : 0) |
                                     (i >= shape.k ? proto::native::kFlagParity : 0) |
                                     (b + 1 == blocks ? proto::native::kFlagLastBlock : 0) |
                                     (shape.gf16 ? proto::native::kFlagGf16 : 0));
      h.key_epoch = config_.key_epoch;
      h.packet_number = next_pn_++;
      h.frame_index = f.frame_index;
      h.capture_us = f.capture_us;
      h.block_index = static_cast<uint16_t>(b);
      h.shard_index = static_cast<uint16_t>(i);
      h.k = shape.k;
      h.m = shape.m;
      proto::native::write_video_header(
          h, std::span<uint8_t, kVideoHeaderBytes>(p, kVideoHeaderBytes));
      std::array<uint8_t, crypto::kNonceBytes> nonce;
      crypto::make_nonce(config_.iv_base, h.packet_number, nonce);
      aead_->seal(nonce, std::span<const uint8_t>(p, kVideoHeaderBytes),
                  std::span<const uint8_t>(p + kVideoHeaderBytes, s), p + kVideoHeaderBytes);
      packets_[packet + i] = std::span<const uint8_t>(p, pb);
    }
    packet += n;
    first_shard += shape.k;
  }
  return std::span<const std::span<const uint8_t>>(packets_.data(), packets_.size());
}

}  // namespace pf::session
