// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "proto/gamestream/control.h"
#include "proto/gamestream/sdp.h"

#include "base/status.h"
#include "crypto/pki.h"
#include "proto/gamestream/video.h"
#include "proto/gamestream/xml.h"

// A Moonlight-style GameStream client for tests and tools/gs-probe: pairs
// (the host user enters the PIN), lists apps, launches, runs the encrypted
// RTSP handshake, connects the ENet control stream, pings and receives video
// and audio, sends input, and quits. It is the other side of the protocol, so
// it doubles as an executable specification of what a host must do.
namespace pf::host::gamestream {

struct ClientStreamResult {
  uint32_t frames = 0, idr_frames = 0;
  uint64_t datagrams = 0, dropped = 0, recovered_shards = 0;
  uint64_t audio_packets = 0;
  bool terminated = false;    // the host sent 0x0109 after /cancel
  std::string first_idr;      // the first IDR access unit (Annex-B)
  int width = 0, height = 0;  // of the stream, from the first IDR's SPS
  // Reference-frame invalidation: whether DESCRIBE offered it, what the
  // client asked for on loss (RFI when offered, else an IDR, as
  // moonlight-common-c does) and how the host answered.
  bool rfi_offered = false;
  // The stream's codec: what the client asked for in ANNOUNCE among what DESCRIBE offered.
  proto::gamestream::StreamCodec codec = proto::gamestream::StreamCodec::kH264;
  bool yuv444 = false;  // ... and whether it asked for 4:4:4
  bool hdr = false;     // ... and for HDR
  // The host's 0x010e HDR mode messages: how many, and the last one's payload reading.
  uint32_t hdr_messages = 0;
  proto::gamestream::HdrMode last_hdr_mode;
  uint32_t frames_lost = 0, rfi_sent = 0, idr_requests_sent = 0, frames_after_rfi = 0;
  // Whole frames not handed on after a loss, until the host's IDR or recovery frame (type 5):
  // they may reference what was lost (moonlight-common-c drops them too).
  uint32_t skipped_until_recovery = 0;
  // A termination message while streaming, and whether it came before the
  // first frame (moonlight-common-c gives up then: "early termination").
  std::optional<uint32_t> termination_reason;
  bool early_termination = false;
  // From asking /launch (or /resume) to the first whole frame (handed to
  // on_access_unit); < 0 when none came.
  double first_frame_ms = -1;
  // The longest time between two whole frames, after the first (a stall the user saw).
  double longest_gap_ms = 0;
};

struct ClientStreamOptions {
  int width = 1280, height = 720, fps = 60;
  int bitrate_kbps = 8000;
  // The client decodes HEVC / AV1: as moonlight-common-c, it asks for AV1
  // when DESCRIBE carries the AV1 marker, else for HEVC when it carries the
  // HEVC marker, else takes H.264.
  bool hevc = false;
  bool av1 = false;
  // The client decodes 8-bit 4:4:4 and the user turned it on: as moonlight-common-c, it asks
  // for it (ANNOUNCE chromaSamplingType 1) when serverinfo's ServerCodecModeSupport has the
  // 4:4:4 bit of the codec it chose (0x40000 H.264, 0x80000 HEVC, 0x200000 AV1).
  bool yuv444 = false;
  // The client shows HDR and the user turned it on: as Moonlight, it asks for it (/launch
  // hdrMode=1, ANNOUNCE dynamicRangeMode 1) when it streams HEVC, serverinfo has HEVC Main10
  // (0x200) and the app says IsHdrSupported.
  bool hdr = false;
  double seconds = 2.0;
  int drop_every = 0;        // drop every n-th video datagram (0 = none)
  int lose_frame_every = 0;  // drop every datagram of every n-th frame (0 = none)
  bool send_key_a = true;    // press and release 'A' once streaming runs
  // Instead of 'A': type this (letters, digits and spaces; as keys with
  // Windows virtual-key codes, like Moonlight) once streaming runs.
  std::string type_text;
  double type_after = 0;  // seconds after the first frame
  // When set, the key or text goes when this turns non-zero (a signal
  // handler's flag: a script that must be ready first), not after type_after.
  const volatile std::sig_atomic_t* type_now = nullptr;
  // When set and non-zero, the stream ends as if `seconds` had passed (a
  // SIGINT/SIGTERM handler's flag).
  const volatile std::sig_atomic_t* stop = nullptr;
  uint32_t max_frames = 0;  // stop after this many frames (0 = after `seconds`)
  bool resume = false;      // /resume the running app instead of /launch
  // End with /cancel (quit the app) or, like Moonlight's "stop streaming",
  // only disconnect the control stream and leave the app for a /resume.
  bool quit = true;
  // Video pings go here ("IP:PORT", e.g. an impairment relay) instead of the host's video port;
  // the host answers where the pings come from, so the video takes the same way back.
  std::string video_via;
  // Every whole access unit with its frame index (the host numbers frames from 1).
  std::function<void(const std::vector<uint8_t>& au, uint32_t frame_index)> on_access_unit;
  // Each audio packet's Opus payload, in order (FEC-rebuilt ones included).
  std::function<void(const std::vector<uint8_t>& opus)> on_audio_packet;
};

struct Negotiated;
class ControlPeer;

class MoonlightClient {
 public:
  MoonlightClient(std::string host, uint16_t http_port, crypto::PemIdentity identity);

  // Runs the four pairing phases over HTTP and the fifth over HTTPS.
  Status pair(const std::string& pin, const std::string& device_name = "gs-probe");
  Result<proto::gamestream::XmlElement> get(const std::string& path,
                                            const std::string& query,
                                            bool https);
  // Launches (or resumes) the first app, streams for a while, then quits or
  // disconnects.
  Result<ClientStreamResult> stream(const ClientStreamOptions& options);
  // /cancel on its own (quit the running app).
  Status cancel();

 private:
  Status handshake(const std::string& url, const ClientStreamOptions& o, Negotiated& n);
  Result<ClientStreamResult> run(const ClientStreamOptions& o, const Negotiated& n);
  void on_video(const ClientStreamOptions& o,
                std::span<const uint8_t> datagram,
                proto::gamestream::VideoReceiver& vrx,
                ControlPeer& control,
                ClientStreamResult& res,
                uint32_t& last_frame);

  std::string host_;
  uint16_t http_port_, https_port_ = 0;
  std::chrono::steady_clock::time_point last_frame_at_{};
  bool waiting_for_recovery_ = false;  // a frame was lost: hand on nothing before type 2 or 5
  crypto::PemIdentity id_;
};

}  // namespace pf::host::gamestream
