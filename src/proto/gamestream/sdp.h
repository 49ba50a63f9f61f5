// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

// The SDP-like bodies of GameStream's RTSP (gamestream-protocol.md 4.4-4.5):
// the host's DESCRIBE reply (feature flags, encryption, codec markers) and the
// client's ANNOUNCE, parsed into a typed StreamConfig.
namespace pf::proto::gamestream {

enum class StreamCodec : uint8_t { kH264 = 0, kHevc = 1, kAv1 = 2 };

// Encryption bits of x-ss-general.encryption*.
inline constexpr uint32_t kEncryptControlV2 = 0x1;
inline constexpr uint32_t kEncryptVideo = 0x2;
inline constexpr uint32_t kEncryptAudio = 0x4;

struct HostStreamCaps {
  bool hevc = false;
  bool av1 = false;
  // 8-bit 4:4:4 per codec (ServerCodecModeSupport 0x40000, 0x80000, 0x200000): what ANNOUNCE's
  // chromaSamplingType 1 may ask for.
  bool h264_444 = false, hevc_444 = false, av1_444 = false;
  // 10-bit HDR HEVC (ServerCodecModeSupport 0x200): what ANNOUNCE's dynamicRangeMode 1 may ask for.
  bool hevc_hdr = false;
  bool ref_pic_invalidation = false;
  uint32_t feature_flags = 0;  // 0x1 pen/touch, 0x2 controller touchpad
  uint32_t encryption_supported = kEncryptControlV2 | kEncryptVideo | kEncryptAudio;
  uint32_t encryption_requested = kEncryptControlV2;
  bool surround = true;  // advertise the 5.1 and 7.1 layouts (normal quality)
};

std::string describe_body(const HostStreamCaps& caps);

struct StreamConfig {
  int width = 0, height = 0, fps = 0;
  int refresh_x100 = 0;
  int packet_size = 0;  // video payload bytes per packet
  int max_bitrate_kbps = 0;
  int configured_bitrate_kbps = 0;  // 0 if absent
  int min_fec_packets = 2;
  StreamCodec codec = StreamCodec::kH264;
  bool hdr = false;
  bool yuv444 = false;
  int slices_per_frame = 1;
  int max_reference_frames = 0;  // 0 = no limit (client handles RFI)
  int audio_channels = 2;
  uint32_t audio_channel_mask = 3;
  bool audio_high_quality = false;
  int audio_packet_ms = 5;
  uint32_t encryption = 0;       // x-ss-general.encryptionEnabled (+ legacy audio bit)
  uint32_t client_features = 0;  // x-ml-general.featureFlags
  int encoder_csc_mode = 0;      // (colour space << 1) | full range
  bool qos_dscp = false;
  int video_port = 0;  // from "m=video <port>"
};

// kInvalidArgument naming the first missing or malformed mandatory attribute.
Result<StreamConfig> parse_announce(std::string_view body);

}  // namespace pf::proto::gamestream
