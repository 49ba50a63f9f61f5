// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <vector>

#include "base/status.h"
#include "proto/native/control.h"

// Hello -> Welcome (protocol section 3): the host's side of session
// negotiation as a pure function. Thread model: free function.
namespace pf::proto::native {

inline constexpr uint8_t kCodecH264 = 1, kCodecHevc = 2, kCodecAv1 = 4;
inline constexpr uint8_t kFecGf8 = 1, kFecGf16 = 2;
inline constexpr uint8_t kCipherAes128Gcm = 1, kCipherChaCha20 = 2;

inline std::vector<uint8_t> default_codec_preference() {
  return {kCodecHevc, kCodecH264};
}

struct HostCapabilities {
  std::vector<uint8_t> codec_preference = default_codec_preference();  // best first
  uint16_t max_width = 7680, max_height = 4320;
  uint16_t max_fps_x100 = 24000;
  uint32_t max_bitrate_kbps = 2'000'000;
  uint32_t default_bitrate_kbps = 20'000;
  uint8_t fec_fields = kFecGf8 | kFecGf16;
  uint8_t fec_percent = 20;
  uint16_t shard_bytes = 1408;
  uint8_t ciphers = kCipherAes128Gcm | kCipherChaCha20;
  uint32_t capabilities = 0;      // Hello capability bits the host serves (kCapCursorChannel)
  uint8_t ten_bit_codecs = 0;     // codecs whose streams can be 10-bit (kCap10Bit; never H.264)
  uint8_t chroma_444_codecs = 0;  // codecs whose streams can be 8-bit 4:4:4 (kCap444)
  uint8_t hdr_codecs = 0;  // codecs whose streams can be HDR here (kCapHdr; also ten_bit_codecs)
};

// The Welcome for a client's Hello, or kInvalidArgument / kUnimplemented
// with a sentence the client can show (bad version, no common codec, mode
// out of range, no common FEC field or cipher).
Result<Welcome> negotiate(const Hello& hello,
                          const HostCapabilities& caps,
                          uint32_t session_id,
                          uint16_t host_video_port);

}  // namespace pf::proto::native
