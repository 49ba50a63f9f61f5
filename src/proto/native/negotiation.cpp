// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/native/negotiation.h"

#include <algorithm>

#include <fmt/format.h>

namespace pf::proto::native {

Result<Welcome> negotiate(const Hello& hello,
                          const HostCapabilities& caps,
                          uint32_t session_id,
                          uint16_t host_video_port) {
  if (hello.version != 1)
    return make_error(
        StatusCode::kUnimplemented,
        fmt::format("protocol version {} is not supported (this host speaks 1)", hello.version));
  if (hello.width == 0 || hello.height == 0 || hello.fps_x100 == 0 || hello.width % 2 ||
      hello.height % 2)
    return make_error(StatusCode::kInvalidArgument,
                      fmt::format("mode {}x{}@{:.2f} is invalid (even, non-zero sizes)",
                                  hello.width, hello.height, hello.fps_x100 / 100.0));
  if (hello.width > caps.max_width || hello.height > caps.max_height ||
      hello.fps_x100 > caps.max_fps_x100)
    return make_error(StatusCode::kInvalidArgument,
                      fmt::format("mode {}x{}@{:.2f} exceeds this host's limit of {}x{}@{:.2f}",
                                  hello.width, hello.height, hello.fps_x100 / 100.0, caps.max_width,
                                  caps.max_height, caps.max_fps_x100 / 100.0));
  Welcome w;
  w.session_id = session_id;
  const auto codec = std::find_if(caps.codec_preference.begin(), caps.codec_preference.end(),
                                  [&](uint8_t c) { return (hello.codecs & c) != 0; });
  if (codec == caps.codec_preference.end())
    return make_error(StatusCode::kUnimplemented,
                      "no common video codec (the host can encode only what its encoders offer)");
  w.codec = *codec;
  const uint8_t fec = hello.fec_fields & caps.fec_fields;
  if (!fec)
    return make_error(StatusCode::kUnimplemented, "no common FEC field");
  // Blocks of at most 255 shards are GF(2^8) whatever else is agreed (every
  // small frame, and the host's default block layout): a client must take it.
  if (!(fec & kFecGf8))
    return make_error(StatusCode::kUnimplemented,
                      "the client does not decode GF(2^8) FEC, which every small block uses");
  w.fec_field = (fec & kFecGf16) ? kFecGf16 : kFecGf8;
  const uint8_t cipher = hello.ciphers & caps.ciphers;
  if (!cipher)
    return make_error(StatusCode::kUnimplemented, "no common cipher");
  w.cipher = (cipher & kCipherAes128Gcm) ? kCipherAes128Gcm : kCipherChaCha20;
  w.width = hello.width;
  w.height = hello.height;
  w.fps_x100 = hello.fps_x100;
  w.fec_percent = caps.fec_percent;
  w.shard_bytes = caps.shard_bytes;
  w.host_video_port = host_video_port;
  const uint32_t ceiling = hello.max_bitrate_kbps
                               ? std::min(hello.max_bitrate_kbps, caps.max_bitrate_kbps)
                               : caps.max_bitrate_kbps;
  w.initial_bitrate_kbps = std::min(ceiling, caps.default_bitrate_kbps);
  // Only what both ends do; the picture's format by what the chosen codec's encoder makes.
  // HDR (with its 10 bits) over 4:4:4 over 10-bit SDR; never 4:4:4 with 10 bits.
  w.capabilities = hello.capabilities & caps.capabilities & ~(kCap10Bit | kCap444 | kCapHdr);
  const bool ten_bit = (caps.ten_bit_codecs & w.codec & ~kCodecH264) != 0;
  const uint32_t hdr = kCapHdr | kCap10Bit;
  if ((hello.capabilities & hdr) == hdr && ten_bit && (caps.hdr_codecs & w.codec))
    w.capabilities |= hdr;
  else if ((hello.capabilities & kCap444) && (caps.chroma_444_codecs & w.codec))
    w.capabilities |= kCap444;
  else if ((hello.capabilities & kCap10Bit) && ten_bit)
    w.capabilities |= kCap10Bit;
  return w;
}

}  // namespace pf::proto::native
