// SPDX-License-Identifier: MIT OR Apache-2.0
#include "session/session_config.h"

#include <fmt/format.h>

namespace pf {

Status validate(const SessionConfig& c) {
  auto bad = [](std::string msg) { return Status(StatusCode::kInvalidArgument, std::move(msg)); };
  if (c.width == 0 || c.height == 0 || c.width > kMaxDimension || c.height > kMaxDimension)
    return bad(fmt::format("mode {}x{} is outside 1..{} pixels per side", c.width, c.height,
                           kMaxDimension));
  if (c.fps_x100 == 0 || c.fps_x100 > kMaxFpsX100)
    return bad(fmt::format("frame rate {:.2f} is outside (0, {}] fps", c.fps_x100 / 100.0,
                           kMaxFpsX100 / 100));
  if (c.max_bitrate_kbps == 0)
    return bad("max bitrate must be at least 1 kbit/s");
  if (c.shard_bytes < kMinShardBytes || c.shard_bytes > kMaxShardBytes || c.shard_bytes % 64 != 0)
    return bad(fmt::format("shard size {} bytes must be a multiple of 64 in [{}, {}]",
                           c.shard_bytes, kMinShardBytes, kMaxShardBytes));
  // GF(2^8) is not optional: every block of up to 255 shards uses it (protocol section 4).
  if ((c.fec_fields & 0x1) == 0 || (c.fec_fields & ~0x3) != 0)
    return bad(
        fmt::format("FEC field bits 0x{:x} must hold GF(2^8) (1), and GF(2^16) (2) only "
                    "beside it: small blocks are always GF(2^8)",
                    c.fec_fields));
  if ((c.ciphers & 0x3) == 0 || (c.ciphers & ~0x3) != 0)
    return bad(fmt::format("cipher bits 0x{:x} must be a non-empty subset of 0x3", c.ciphers));
  if ((c.codecs & 0x7) == 0 || (c.codecs & ~0x7) != 0)
    return bad(fmt::format("codec bits 0x{:x} must be a non-empty subset of 0x7", c.codecs));
  if ((c.capabilities & ~0xFu) != 0)
    return bad(fmt::format("capability bits 0x{:x}: this version knows 0x1, 0x2, 0x4 and 0x8 only",
                           c.capabilities));
  if (c.audio_channels != 2 && c.audio_channels != 6 && c.audio_channels != 8)
    return bad(fmt::format("{} audio channels: use 2, 6 (5.1) or 8 (7.1)", c.audio_channels));
  return Status::ok();
}

}  // namespace pf
