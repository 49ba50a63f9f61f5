// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/gamestream/rtsp_session.h"

#include <array>

#include <fmt/format.h>

#include "base/endian.h"
#include "base/hex.h"
#include "crypto/pki.h"

namespace pf::proto::gamestream {

namespace {

RtspResponse status(int code, std::string message = {}) {
  RtspResponse r;
  r.status = code;
  if (!message.empty())
    r.headers.emplace_back("X-Punktfunk-Error", std::move(message));
  return r;
}

}  // namespace

RtspSession::RtspSession(RtspSessionConfig config) : config_(std::move(config)) {
  if (config_.ping_payload.size() != 16) {
    std::array<uint8_t, 8> b;
    crypto::random_bytes(b);
    config_.ping_payload = to_hex(b);
  }
  while (config_.connect_data == 0) {
    std::array<uint8_t, 4> b;
    crypto::random_bytes(b);
    // Decimal, never zero-padded, and kept below 2^31 for clients that parse it signed.
    config_.connect_data = load_be32(b.data()) & 0x7FFFFFFF;
  }
}

RtspResponse RtspSession::handle(const RtspRequest& r) {
  if (r.method == "OPTIONS")
    return {};
  if (r.method == "DESCRIBE") {
    RtspResponse resp;
    resp.headers.emplace_back("Content-Type", "application/sdp");
    resp.body = describe_body(config_.caps);
    return resp;
  }
  if (r.method == "SETUP")
    return setup(r);
  if (r.method == "ANNOUNCE")
    return announce(r);
  if (r.method == "PLAY") {
    if (!stream_)
      return status(454, "PLAY before ANNOUNCE");
    playing_ = true;
    return {};
  }
  return status(405, fmt::format("method {} not supported", r.method));
}

RtspResponse RtspSession::setup(const RtspRequest& r) {
  // The stream type is the first path element after "streamid=".
  const size_t at = r.target.find("streamid=");
  const std::string type =
      at == std::string::npos ? "" : r.target.substr(at + 9, r.target.find('/', at) - at - 9);
  RtspResponse resp;
  resp.headers.emplace_back("Session", config_.session_id + ";timeout = 90");
  uint16_t port = 0;
  if (type == "audio") {
    port = config_.audio_port;
    audio_ = true;
    resp.headers.emplace_back("X-SS-Ping-Payload", config_.ping_payload);
  } else if (type == "video") {
    port = config_.video_port;
    video_ = true;
    resp.headers.emplace_back("X-SS-Ping-Payload", config_.ping_payload);
  } else if (type == "control") {
    port = config_.control_port;
    control_ = true;
    resp.headers.emplace_back("X-SS-Connect-Data", std::to_string(config_.connect_data));
  } else {
    return status(404, fmt::format("unknown stream '{}'", r.target));
  }
  resp.headers.emplace_back("Transport", fmt::format("server_port={}", port));
  return resp;
}

RtspResponse RtspSession::announce(const RtspRequest& r) {
  if (!audio_ || !video_ || !control_)
    return status(454, "ANNOUNCE before SETUP of audio, video and control");
  auto s = parse_announce(r.body);
  if (!s)
    return status(400, s.error().message());
  if ((s->codec == StreamCodec::kHevc && !config_.caps.hevc) ||
      (s->codec == StreamCodec::kAv1 && !config_.caps.av1))
    return status(400, "the client chose a codec this host cannot encode");
  if (s->yuv444 && !((s->codec == StreamCodec::kH264 && config_.caps.h264_444) ||
                     (s->codec == StreamCodec::kHevc && config_.caps.hevc_444) ||
                     (s->codec == StreamCodec::kAv1 && config_.caps.av1_444)))
    return status(400, "the client asked for 4:4:4, which this host cannot encode in its codec");
  if (s->hdr && !(s->codec == StreamCodec::kHevc && config_.caps.hevc_hdr))
    return status(400, "the client asked for HDR, which this host cannot stream in its codec");
  if (s->packet_size % 16 != 0)
    return status(400, "packetSize must be a multiple of 16");
  stream_ = *s;
  return {};
}

}  // namespace pf::proto::gamestream
