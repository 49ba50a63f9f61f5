// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/native/video_packet.h"

#include <fmt/format.h>

#include "base/byte_reader.h"
#include "base/byte_writer.h"

namespace pf::proto::native {

void write_video_header(const VideoHeader& h, std::span<uint8_t, kVideoHeaderBytes> out) {
  ByteWriter w(out);
  w.u8(static_cast<uint8_t>(h.type));
  w.u8(h.flags);
  w.u8(h.key_epoch);
  w.u8(0);
  w.u64_le(h.packet_number);
  w.u32_le(h.frame_index);
  w.u64_le(h.capture_us);
  w.u16_le(h.block_index);
  w.u16_le(h.shard_index);
  w.u16_le(h.k);
  w.u16_le(h.m);
}

Result<VideoHeader> parse_video_header(std::span<const uint8_t> in) {
  auto bad = [](std::string why) {
    return make_error(StatusCode::kInvalidArgument, "video header: " + std::move(why));
  };
  if (in.size() < kVideoHeaderBytes)
    return bad(fmt::format("{} bytes, need {}", in.size(), kVideoHeaderBytes));
  ByteReader r(in.first(kVideoHeaderBytes));
  VideoHeader h;
  const uint8_t type = *r.u8();
  if (type != 0x10 && type != 0x11 && type != 0x12)
    return bad(fmt::format("type 0x{:02x}", type));
  h.type = static_cast<PacketType>(type);
  h.flags = *r.u8();
  h.key_epoch = *r.u8();
  if (*r.u8() != 0)
    return bad("reserved byte is not 0");
  if (h.flags & ~kKnownFlags)
    return bad(fmt::format("unknown flags 0x{:02x}", h.flags));
  h.packet_number = *r.u64_le();
  h.frame_index = *r.u32_le();
  h.capture_us = *r.u64_le();
  h.block_index = *r.u16_le();
  h.shard_index = *r.u16_le();
  h.k = *r.u16_le();
  h.m = *r.u16_le();
  if (h.type != PacketType::kVideoShard)
    return h;
  if (h.k == 0 || h.m == 0)
    return bad("block with k or m of 0");
  const uint32_t n = uint32_t{h.k} + h.m;
  if (h.shard_index >= n)
    return bad(fmt::format("shard {} of a {}-shard block", h.shard_index, n));
  if (h.parity() != (h.shard_index >= h.k))
    return bad("parity flag disagrees with shard index");
  if (!h.gf16() && n > 255)
    return bad("GF(2^8) block larger than 255 shards");
  if (h.frame_index == 0)
    return bad("frame index 0");
  return h;
}

}  // namespace pf::proto::native
