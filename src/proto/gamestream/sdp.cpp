// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/gamestream/sdp.h"

#include <cerrno>
#include <cstdlib>
#include <map>

#include <fmt/format.h>

namespace pf::proto::gamestream {

std::string describe_body(const HostStreamCaps& c) {
  std::string s;
  s += fmt::format("a=x-ss-general.featureFlags:{}\r\n", c.feature_flags);
  s += fmt::format("a=x-ss-general.encryptionSupported:{}\r\n", c.encryption_supported);
  s += fmt::format("a=x-ss-general.encryptionRequested:{}\r\n", c.encryption_requested);
  if (c.ref_pic_invalidation)
    s += "a=x-nv-video[0].refPicInvalidation:1\r\n";
  if (c.hevc)
    s += "sprop-parameter-sets=AAAAAU\r\n";
  if (c.av1)
    s += "a=rtpmap:98 AV1/90000\r\n";
  if (c.surround) {
    // Normal-quality layouts, written so that Moonlight's LFE rotation yields
    // the encoder's mapping 0..C-1 (gamestream-protocol.md 8.3).
    s += "a=fmtp:97 surround-params=642012453\r\n";
    s += "a=fmtp:97 surround-params=85301245673\r\n";
  }
  return s;
}

namespace {

Status missing(std::string_view name) {
  return Status(StatusCode::kInvalidArgument,
                fmt::format("ANNOUNCE: missing or malformed attribute {}", name));
}

}  // namespace

Result<StreamConfig> parse_announce(std::string_view body) {
  if (body.size() > 64 * 1024)
    return make_error(StatusCode::kInvalidArgument, "ANNOUNCE body larger than 64 KiB");
  std::map<std::string, std::string, std::less<>> a;
  StreamConfig c;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t eol = body.find('\n', pos);
    if (eol == std::string_view::npos)
      eol = body.size();
    std::string_view line = body.substr(pos, eol - pos);
    pos = eol + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
      line.remove_suffix(1);
    if (line.substr(0, 2) == "a=") {
      const std::string_view attr = line.substr(2);
      const size_t colon = attr.find(':');
      if (colon == std::string_view::npos)
        continue;
      a.emplace(std::string(attr.substr(0, colon)), std::string(attr.substr(colon + 1)));
    } else if (line.substr(0, 8) == "m=video ") {
      c.video_port = std::atoi(std::string(line.substr(8)).c_str());
    }
  }
  // Integer attribute: decimal, or with base prefix like strtoul(.., 0).
  auto num = [&](std::string_view name, int64_t lo, int64_t hi, bool required,
                 int64_t fallback) -> Result<int64_t> {
    auto it = a.find(name);
    if (it == a.end()) {
      if (required)
        return tl::unexpected(missing(name));
      return fallback;
    }
    errno = 0;
    char* end = nullptr;
    const long long v = std::strtoll(it->second.c_str(), &end, 0);
    if (errno || end == it->second.c_str() || *end != '\0' || v < lo || v > hi)
      return tl::unexpected(missing(name));
    return static_cast<int64_t>(v);
  };
#define PF_ATTR(var, name, lo, hi, req, def) \
  do {                                       \
    auto v_ = num(name, lo, hi, req, def);   \
    if (!v_)                                 \
      return tl::unexpected(v_.error());     \
    var = static_cast<decltype(var)>(*v_);   \
  } while (0)
  PF_ATTR(c.width, "x-nv-video[0].clientViewportWd", 16, 16384, true, 0);
  PF_ATTR(c.height, "x-nv-video[0].clientViewportHt", 16, 16384, true, 0);
  PF_ATTR(c.fps, "x-nv-video[0].maxFPS", 1, 1000, true, 0);
  PF_ATTR(c.packet_size, "x-nv-video[0].packetSize", 64, 65000, true, 0);
  PF_ATTR(c.max_bitrate_kbps, "x-nv-vqos[0].bw.maximumBitrateKbps", 1, 10'000'000, true, 0);
  PF_ATTR(c.configured_bitrate_kbps, "x-ml-video.configuredBitrateKbps", 0, 10'000'000, false, 0);
  PF_ATTR(c.slices_per_frame, "x-nv-video[0].videoEncoderSlicesPerFrame", 1, 64, true, 1);
  PF_ATTR(c.max_reference_frames, "x-nv-video[0].maxNumReferenceFrames", 0, 16, true, 0);
  PF_ATTR(c.audio_channels, "x-nv-audio.surround.numChannels", 1, 8, true, 2);
  PF_ATTR(c.audio_channel_mask, "x-nv-audio.surround.channelMask", 0, 0xFFFFF, true, 3);
  int hq = 0, codec = 0, hdr = 0, yuv444 = 0, qos = 0;
  uint32_t legacy = 0;
  PF_ATTR(hq, "x-nv-audio.surround.AudioQuality", 0, 1, true, 0);
  PF_ATTR(c.audio_packet_ms, "x-nv-aqos.packetDuration", 5, 20, false, 5);
  PF_ATTR(c.refresh_x100, "x-nv-video[0].clientRefreshRateX100", 0, 100'000, false, 0);
  PF_ATTR(c.min_fec_packets, "x-nv-vqos[0].fec.minRequiredFecPackets", 0, 255, false, 2);
  PF_ATTR(codec, "x-nv-vqos[0].bitStreamFormat", 0, 2, false, 0);
  PF_ATTR(hdr, "x-nv-video[0].dynamicRangeMode", 0, 1, false, 0);
  PF_ATTR(yuv444, "x-ss-video[0].chromaSamplingType", 0, 1, false, 0);
  PF_ATTR(c.encryption, "x-ss-general.encryptionEnabled", 0, 0xFF, false, 0);
  PF_ATTR(c.client_features, "x-ml-general.featureFlags", 0, UINT32_MAX, false, 0);
  PF_ATTR(legacy, "x-nv-general.featureFlags", 0, UINT32_MAX, false, 0);
  PF_ATTR(c.encoder_csc_mode, "x-nv-video[0].encoderCscMode", 0, 15, false, 0);
  PF_ATTR(qos, "x-nv-vqos[0].qosTrafficType", 0, 255, false, 0);
#undef PF_ATTR
  if (c.audio_channels != 2 && c.audio_channels != 6 && c.audio_channels != 8)
    return tl::unexpected(missing("x-nv-audio.surround.numChannels (2, 6 or 8)"));
  c.audio_high_quality = hq == 1;
  c.codec = static_cast<StreamCodec>(codec);
  c.hdr = hdr == 1;
  c.yuv444 = yuv444 == 1;
  c.qos_dscp = qos != 0;
  if (legacy & 0x20)  // the legacy way to ask for audio encryption
    c.encryption |= kEncryptAudio;
  return c;
}

}  // namespace pf::proto::gamestream
