// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "base/status.h"
#include "fec/cauchy_codec.h"

// GameStream video datagrams (gamestream-protocol.md 6-7), both directions,
// sans-I/O. The host side cuts an access unit into RTP + NV-header datagrams
// of exactly packetSize + 16 bytes in at most 4 GF(2^8) FEC blocks (Moonlight's
// nanors-compatible Cauchy parity), optionally AES-GCM encrypted. The client
// side is Moonlight's reassembly, used by tests and tools to check the host.
namespace pf::proto::gamestream {

inline constexpr size_t kRtpHeader = 16;  // 12-byte RTP + 4 extension bytes
inline constexpr size_t kNvHeader = 16;
inline constexpr size_t kFrameHeader = 8;
inline constexpr size_t kVideoEncHeader = 32;  // IV, frame index, tag

// NV header flags.
inline constexpr uint8_t kFlagPicData = 0x01;
inline constexpr uint8_t kFlagEof = 0x02;
inline constexpr uint8_t kFlagSof = 0x04;

// Frame header byte 3. kPAfterRfi: a P-frame that references only frames
// older than the range an RFI (0x0301) invalidated.
enum class FrameType : uint8_t { kP = 1, kIdr = 2, kPAfterRfi = 5 };

struct VideoSenderConfig {
  int packet_size = 1392;  // S from ANNOUNCE (a multiple of 16)
  int fec_percent = 20;
  int min_parity = 2;             // ANNOUNCE minRequiredFecPackets
  bool encrypt = false;           // encryptionEnabled & 0x2
  std::array<uint8_t, 16> key{};  // rikey, when encrypting
};

class VideoSender {
 public:
  static Result<std::unique_ptr<VideoSender>> create(const VideoSenderConfig& config);
  ~VideoSender();

  // Datagrams for one access unit, in send order. Frame indices start at 1
  // and must increase; the timestamp is on the 90 kHz clock. The spans point
  // into the sender and stay valid until the next call.
  Result<std::span<const std::span<const uint8_t>>> packetize(std::span<const uint8_t> access_unit,
                                                              uint32_t frame_index,
                                                              uint32_t timestamp_90khz,
                                                              FrameType type,
                                                              uint16_t host_latency_100us = 0);
  size_t datagram_bytes() const;

 private:
  VideoSender() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Moonlight's side: datagrams in (any order, with loss), access units out.
class VideoReceiver {
 public:
  VideoReceiver(int packet_size, bool encrypted = false, std::array<uint8_t, 16> key = {});
  ~VideoReceiver();

  // Feeds one datagram. Returns a completed access unit (the frame header
  // stripped, trailing padding removed) when this datagram completed one.
  std::optional<std::vector<uint8_t>> push(std::span<const uint8_t> datagram);

  uint64_t recovered_shards() const { return recovered_; }
  uint64_t bad_datagrams() const { return bad_; }
  uint32_t last_frame_type() const { return last_type_; }
  uint32_t last_frame_index() const { return delivered_; }

 private:
  struct Block;
  struct Frame;
  int s_;
  bool encrypted_;
  std::array<uint8_t, 16> key_;
  fec::CauchyCodec codec_;
  std::map<uint32_t, std::unique_ptr<Frame>> frames_;
  uint32_t delivered_ = 0;
  uint64_t recovered_ = 0, bad_ = 0;
  uint32_t last_type_ = 0;
};

}  // namespace pf::proto::gamestream
