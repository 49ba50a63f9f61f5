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

// One packet: header (AAD), the shard sealed from `plain` (which may be the
// packet's own shard), tag.
void Packetizer::seal(const VideoFrame& f,
                      bool last_block,
                      const BlockShape& shape,
                      size_t block,
                      size_t shard,
                      uint64_t packet_number,
                      const uint8_t* plain,
                      uint8_t* packet) {
  proto::native::VideoHeader h;
  h.flags = static_cast<uint8_t>((f.keyframe ? proto::native::kFlagKeyframe : 0) |
                                 (f.recovery ? proto::native::kFlagRecovery : 0) |
                                 (shard >= shape.k ? proto::native::kFlagParity : 0) |
                                 (last_block ? proto::native::kFlagLastBlock : 0) |
                                 (shape.gf16 ? proto::native::kFlagGf16 : 0));
  h.key_epoch = config_.key_epoch;
  h.packet_number = packet_number;
  h.frame_index = f.frame_index;
  h.capture_us = f.capture_us;
  h.block_index = static_cast<uint16_t>(block);
  h.shard_index = static_cast<uint16_t>(shard);
  h.k = shape.k;
  h.m = shape.m;
  proto::native::write_video_header(
      h, std::span<uint8_t, kVideoHeaderBytes>(packet, kVideoHeaderBytes));
  std::array<uint8_t, crypto::kNonceBytes> nonce;
  crypto::make_nonce(config_.iv_base, packet_number, nonce);
  aead_->seal(nonce, std::span<const uint8_t>(packet, kVideoHeaderBytes),
              std::span<const uint8_t>(plain, config_.shard_bytes), packet + kVideoHeaderBytes);
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
  const size_t blocks =
      block_count(total_k, pct, config_.block_limit ? config_.block_limit : gf8_block_limit(pct));
  if (blocks > kMaxBlocksPerFrame)
    return make_error(StatusCode::kInvalidArgument, "frame needs more than 65535 FEC blocks");
  // Every block but the last has one shape, the last one no more shards.
  const BlockShape first = block_shape(block_data_shards(total_k, blocks, 0), pct);
  const BlockShape last = block_shape(block_data_shards(total_k, blocks, blocks - 1), pct);
  const size_t n0 = size_t{first.k} + first.m, n_last = size_t{last.k} + last.m;
  const size_t total_packets = (blocks - 1) * n0 + n_last;
  // Send order: the blocks interleaved (shard 0 of every block, then shard
  // 1, ...), so a burst of losses costs many blocks a few shards each.
  const auto send_position = [&](size_t b, size_t i) {
    return i < n_last ? i * blocks + b : n_last * blocks + (i - n_last) * (blocks - 1) + b;
  };
  const size_t pb = packet_bytes();
  if (pool_.size() < total_packets * pb)
    pool_.resize(total_packets * pb);
  packets_.resize(total_packets);

  // The byte stream the data shards carry: u32 LE length, the frame, zeros.
  // A shard wholly inside the frame is read (FEC, seal) where it is; the
  // first (it holds the length) and the last (zero padded) are staged.
  uint8_t prefix[4];
  const auto len = static_cast<uint32_t>(f.data.size());
  for (int i = 0; i < 4; ++i)
    prefix[i] = static_cast<uint8_t>(len >> (8 * i));
  staged_.resize(2 * s);
  const auto source = [&](size_t j) -> const uint8_t* {
    const size_t begin = j * s;  // offset in the stream
    if (begin >= 4 && begin - 4 + s <= f.data.size())
      return f.data.data() + (begin - 4);
    uint8_t* dst = staged_.data() + (j == 0 ? 0 : s);
    for (size_t done = 0; done < s;) {
      const size_t at = begin + done;
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
    return dst;
  };

  const uint64_t first_pn = next_pn_;
  size_t first_shard = 0;
  for (size_t b = 0; b < blocks; ++b) {
    const BlockShape shape = b + 1 < blocks ? first : last;
    data_ptrs_.resize(shape.k);
    parity_ptrs_.resize(shape.m);
    for (size_t i = 0; i < shape.k; ++i)
      data_ptrs_[i] = source(first_shard + i);
    for (size_t j = 0; j < shape.m; ++j)
      parity_ptrs_[j] = pool_.data() + send_position(b, shape.k + j) * pb + kVideoHeaderBytes;
    const Status st =
        shape.gf16 ? gf16_.encode(shape.k, shape.m, s, data_ptrs_.data(), parity_ptrs_.data())
                   : gf8_.encode(shape.k, shape.m, s, data_ptrs_.data(), parity_ptrs_.data());
    if (!st.is_ok())
      return tl::unexpected(st);
    for (size_t i = 0; i < size_t{shape.k} + shape.m; ++i) {
      const size_t at = send_position(b, i);
      const uint8_t* plain = i < shape.k ? data_ptrs_[i] : parity_ptrs_[i - shape.k];
      seal(f, b + 1 == blocks, shape, b, i, first_pn + at, plain, pool_.data() + at * pb);
      packets_[at] = std::span<const uint8_t>(pool_.data() + at * pb, pb);
    }
    first_shard += shape.k;
  }
  next_pn_ = first_pn + total_packets;
  return std::span<const std::span<const uint8_t>>(packets_.data(), packets_.size());
}

}  // namespace pf::session
