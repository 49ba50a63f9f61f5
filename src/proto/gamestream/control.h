// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"

// GameStream control-stream messages (gamestream-protocol.md 5.3-5.8): the
// encrypted framing of every ENet packet (AES-128-GCM keyed by rikey, V2 IV),
// the inner type/length header, and the payloads a host reads and writes.
// Sans-I/O. Thread model: a ControlCipher belongs to one session thread.
namespace pf::proto::gamestream {

enum class ControlType : uint16_t {
  kRequestIdr = 0x0302,  // also "START_A"
  kStartB = 0x0307,
  kPing = 0x0200,
  kFecStatus = 0x5502,  // client -> host meaning
  kInvalidateRefs = 0x0301,
  kLtrAck = 0x0350,
  kInput = 0x0206,
  kLossStats = 0x0201,
  kFrameStats = 0x0204,
  kTermination = 0x0109,
  kRumble = 0x010b,
  kHdrMode = 0x010e,
  kSetMotionEvent = 0x5501,  // host -> client: report a pad's sensor at a rate
};

struct ControlMessage {
  uint16_t type = 0;
  std::vector<uint8_t> payload;
};

// The 12-byte V2 IV: LE32 sequence, six zero bytes, 'C' or 'H', then 'C'.
std::array<uint8_t, 12> control_iv(uint32_t sequence, bool from_host);

class ControlCipher {
 public:
  explicit ControlCipher(std::span<const uint8_t, 16> key);
  ~ControlCipher();

  // A complete ENet packet payload for `m`, host -> client, next sequence.
  std::vector<uint8_t> seal(const ControlMessage& m, bool from_host = true);
  // Checks the marker, the length against the datagram, runts and the tag.
  Result<ControlMessage> open(std::span<const uint8_t> packet, bool from_host = false);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  uint32_t send_seq_ = 0;
};

// 0x0301: frames first .. last must not be referenced.
struct InvalidateRefs {
  uint32_t first = 0, last = 0;
};
Result<InvalidateRefs> parse_invalidate_refs(std::span<const uint8_t> payload);

// 0x5502 client -> host (big-endian).
struct FecStatus {
  uint32_t frame_index = 0;
  uint16_t highest_received = 0, next_contiguous = 0, missing_before_highest = 0;
  uint16_t data_packets = 0, parity_packets = 0, received_data = 0, received_parity = 0;
  uint8_t fec_percent = 0, block_index = 0, block_count = 0;
};
Result<FecStatus> parse_fec_status(std::span<const uint8_t> payload);

// Termination reasons (BE32 HRESULT).
inline constexpr uint32_t kTerminateGraceful = 0x80030023;
ControlMessage make_termination(uint32_t reason = kTerminateGraceful);
ControlMessage make_rumble(uint16_t controller, uint16_t low, uint16_t high);
// 0x5501: controller `controller`'s sensor (1 accelerometer, 2 gyroscope)
// to be reported `rate_hz` times a second (0 stops it). Without it a client
// sends no motion.
ControlMessage make_set_motion_event(uint16_t controller, uint16_t rate_hz, uint8_t sensor);

struct HdrMetadata {
  std::array<std::array<uint16_t, 2>, 3> primaries{};
  std::array<uint16_t, 2> white_point{};
  uint16_t max_luminance = 0, min_luminance = 0, max_cll = 0, max_fall = 0, max_full_frame = 0;
  friend bool operator==(const HdrMetadata&, const HdrMetadata&) = default;
};
ControlMessage make_hdr_mode(bool enabled, const HdrMetadata& m);
// A client's reading of 0x010e: HDR on or off, and the metadata.
struct HdrMode {
  bool enabled = false;
  HdrMetadata metadata;
};
Result<HdrMode> parse_hdr_mode(std::span<const uint8_t> payload);

// What the host does with an authenticated message from its client: an RFI for a range it can
// read (else, as for 0x0302, a keyframe), input to translate, an FEC status, liveness only
// (pings, START_B, LTR acknowledgements) or nothing it knows (counted, otherwise ignored).
struct ControlAction {
  enum class Kind { kInvalidateRefs, kKeyframe, kInput, kFecStatus, kLiveness, kUnknown };
  Kind kind = Kind::kUnknown;
  InvalidateRefs rfi;                // kInvalidateRefs
  FecStatus fec;                     // kFecStatus
  std::span<const uint8_t> payload;  // kInput: the message's payload (borrowed)
};
ControlAction decide_control(uint16_t type, std::span<const uint8_t> payload);

}  // namespace pf::proto::gamestream
