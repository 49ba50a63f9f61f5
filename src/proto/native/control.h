// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "base/status.h"

// punktfunk/1 control-stream messages (protocol section 3): `u32 length` (of
// type + body, little-endian), `u8 type`, body. Sans-I/O: encode to bytes,
// and a framer that turns a byte stream (QUIC stream data in arbitrary
// chunks) into messages. Unknown types are surfaced as UnknownMessage for the
// caller to ignore; a malformed known message or an oversized length is an
// error that closes the session.
namespace pf::proto::native {

// Capability bits of Hello (asked) and Welcome (granted).
inline constexpr uint32_t kCapCursorChannel = 0x1;  // section 8: the client draws the pointer
inline constexpr uint32_t kCap10Bit = 0x2;          // HEVC Main10 / AV1 10-bit (never H.264)
inline constexpr uint32_t kCap444 = 0x4;            // 8-bit 4:4:4 chroma (never with kCap10Bit)
inline constexpr uint32_t kCapHdr = 0x8;            // BT.2020 PQ, with kCap10Bit; HdrMetadata

struct Hello {
  uint16_t version = 1;
  uint32_t capabilities = 0;
  uint16_t width = 0, height = 0, fps_x100 = 0;
  uint8_t codecs = 0, audio_channels = 2;
  uint32_t max_bitrate_kbps = 0;
  uint8_t fec_fields = 0, ciphers = 0;
  uint16_t client_video_port = 0;
  friend bool operator==(const Hello&, const Hello&) = default;
};
struct Welcome {
  uint32_t session_id = 0;
  uint8_t codec = 0;
  uint16_t width = 0, height = 0, fps_x100 = 0;
  uint8_t fec_field = 0, fec_percent = 0;
  uint16_t shard_bytes = 0;
  uint8_t cipher = 0;
  uint16_t host_video_port = 0;
  uint32_t initial_bitrate_kbps = 0;
  uint32_t capabilities = 0;  // granted; absent on the wire (an older host) = 0
  friend bool operator==(const Welcome&, const Welcome&) = default;
};
struct RequestIdr {
  uint32_t last_good_frame = 0;
  friend bool operator==(const RequestIdr&, const RequestIdr&) = default;
};
struct InvalidateRefs {
  uint32_t first = 0, last = 0;
  friend bool operator==(const InvalidateRefs&, const InvalidateRefs&) = default;
};
struct ReceiverReport {
  uint32_t frames_received = 0, frames_lost = 0, shards_lost = 0, shards_recovered = 0;
  uint32_t jitter_us = 0, decode_us_p50 = 0;
  friend bool operator==(const ReceiverReport&, const ReceiverReport&) = default;
};
struct SetBitrate {
  uint32_t kbps = 0;
  friend bool operator==(const SetBitrate&, const SetBitrate&) = default;
};
struct SetFec {
  uint8_t percent = 0;
  friend bool operator==(const SetFec&, const SetFec&) = default;
};
struct Bye {
  enum Reason : uint32_t {
    kNormal = 0,
    kHostShutdown = 1,
    kKicked = 2,
    kProtocolError = 3,
    kTimeout = 4
  };
  uint32_t reason = kNormal;
  std::string text;
  friend bool operator==(const Bye&, const Bye&) = default;
};
// SMPTE ST 2086 + CTA-861.3, in order: red x, red y, green x, green y, blue
// x, blue y, white x, white y (1/50000), max luminance (cd/m2), min luminance
// (1/10000 cd/m2), MaxCLL, MaxFALL (cd/m2).
struct HdrMetadata {
  std::array<uint16_t, 12> values{};
  friend bool operator==(const HdrMetadata&, const HdrMetadata&) = default;
};
// "R(35400,14600) G(8500,39850) B(6550,2300) WP(15635,16450) L(1000,50) CLL 1000 FALL 400".
std::string to_string(const HdrMetadata& m);
// The pointer's image (section 8): RGBA, straight alpha, rows top first.
inline constexpr uint16_t kMaxCursorSide = 256;
struct CursorShape {
  uint32_t serial = 0;
  uint16_t width = 0, height = 0, hotspot_x = 0, hotspot_y = 0;
  std::vector<uint8_t> rgba;  // width * height * 4
  friend bool operator==(const CursorShape&, const CursorShape&) = default;
};
struct Keepalive {
  friend bool operator==(const Keepalive&, const Keepalive&) = default;
};
// Pairing messages (types 0x10-0x12) carry opaque SPAKE2 bytes (section 2).
struct PairMessage {
  uint8_t type = 0x11;
  std::vector<uint8_t> body;
  friend bool operator==(const PairMessage&, const PairMessage&) = default;
};
struct UnknownMessage {
  uint8_t type = 0;
  friend bool operator==(const UnknownMessage&, const UnknownMessage&) = default;
};

using ControlMessage = std::variant<Hello,
                                    Welcome,
                                    RequestIdr,
                                    InvalidateRefs,
                                    ReceiverReport,
                                    SetBitrate,
                                    SetFec,
                                    Bye,
                                    HdrMetadata,
                                    Keepalive,
                                    CursorShape,
                                    PairMessage,
                                    UnknownMessage>;

// Type + body; the largest message is a 256x256 CursorShape (256 KiB + 13).
inline constexpr size_t kMaxControlMessage = 300 * 1024;

// The framed bytes of one message (UnknownMessage encodes with an empty body).
std::vector<uint8_t> encode_control(const ControlMessage& m);

// Parses one message body of a given type.
Result<ControlMessage> decode_control(uint8_t type, std::span<const uint8_t> body);

// Accumulates stream bytes and yields whole messages.
class ControlFramer {
 public:
  // Appends bytes; kInvalidArgument if a length is 0 or above the limit.
  Status feed(std::span<const uint8_t> bytes);
  // The next whole message, if any; an error for a malformed one.
  std::optional<Result<ControlMessage>> next();
  size_t buffered() const { return buf_.size() - pos_; }

 private:
  std::vector<uint8_t> buf_;
  size_t pos_ = 0;
};

}  // namespace pf::proto::native
