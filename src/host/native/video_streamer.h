// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <utility>

#include "base/status.h"
#include "host/capture/session_source.h"
#include "host/encode/encoder_settings.h"
#include "net/address.h"
#include "net/udp_socket.h"
#include "proto/native/control.h"
#include "proto/native/datagrams.h"
#include "proto/native/session_keys.h"

// Video of one punktfunk/1 session (protocol section 4): a UDP socket of its
// own (the port goes into the Welcome), and a thread that waits for the
// client's authenticated probe (0x11, which says where to send), then
// captures (its session's display, or the synthetic source with its frame
// barcode), encodes (libx264; NVENC/VAAPI seams untested), packetizes with
// FEC and seals with the host->client key (session::Packetizer), and sends
// paced. Probes keep coming and may move the client (only authenticated ones).
//
// Thread model: start() and the setters from any thread; the streaming
// thread owns the socket, capture, encoder and packetizer.
namespace pf::host::native {

namespace pn = pf::proto::native;

struct NativeVideoParams {
  uint32_t session_id = 0;
  pn::Welcome welcome;
  pn::DirectionKeys host_to_client, client_to_host;
  CaptureOpener capture;  // the session's display; empty = the synthetic source
  // The encoder: this GPU backend when the host found one, else software
  // (x264 for H.264, x265 for HEVC, libaom for AV1), for the codec the Welcome names.
  std::optional<EncoderBackend> hardware;
  net::Address bind;      // address to serve on (port 0 = any free port)
  std::string client_ip;  // probes from elsewhere are ignored ("" = any)
  // The cursor channel was granted (protocol section 8): the pointer leaves
  // the picture and goes to the client through these, from the video thread.
  bool cursor_channel = false;
  std::function<void(std::span<const uint8_t>)> send_control, send_datagram;
};

struct NativeVideoStats {
  uint64_t frames = 0, packets = 0, keyframes = 0;
  uint64_t invalidations = 0,
           recovery_frames = 0;  // InvalidateRefs, and answers without a keyframe
  uint64_t probes = 0, probes_rejected = 0;
  bool client_known = false;
  std::string codec, encoder;  // "hevc", "libx265" ... once the encoder is open
  std::string chroma;          // "4:2:0" or "4:4:4", likewise
  int bit_depth = 0;           // 8 or 10, likewise
};

class NativeVideoStreamer {
 public:
  // Per frame: capture->encoded and encoded->first packet sent, for 0xCE datagrams.
  using TimingSink = std::function<void(const pn::HostTimingDatagram&)>;
  static Result<std::unique_ptr<NativeVideoStreamer>> start(const NativeVideoParams& params,
                                                            TimingSink timing = {});
  ~NativeVideoStreamer();

  uint16_t port() const { return port_; }
  // Asks the thread to stop without waiting (the destructor joins).
  void request_stop() { stop_ = true; }
  void request_idr() { idr_ = true; }
  // The client lost (or could not decode) frames first..last: the next frame
  // references only older ones (flagged recovery), or is a keyframe.
  void invalidate_refs(uint32_t first, uint32_t last);
  void set_bitrate_kbps(uint32_t kbps) { bitrate_kbps_ = kbps; }
  void set_fec_percent(uint8_t percent) { fec_percent_ = percent; }
  NativeVideoStats stats() const;
  // Why streaming stopped ("" while running).
  std::string stopped_reason() const;

 private:
  NativeVideoStreamer() = default;
  void run();
  void read_probes(int timeout_ms);
  // HdrMetadata (protocol §3) on the control stream, before an HDR keyframe.
  void send_hdr_metadata(const HdrMetadata& m);
  // Sends a frame's packets to the client, paced; returns when the first left.
  int64_t send_paced(std::span<const std::span<const uint8_t>> packets,
                     size_t packet_bytes,
                     uint32_t bitrate_kbps);

  NativeVideoParams params_;
  TimingSink timing_;
  std::unique_ptr<net::UdpSocket> socket_;
  uint16_t port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false}, idr_{false};
  std::atomic<uint32_t> bitrate_kbps_{0};
  std::atomic<uint8_t> fec_percent_{0};
  mutable std::mutex mu_;
  NativeVideoStats stats_;
  std::optional<std::pair<uint32_t, uint32_t>> invalidate_;  // pending; guarded by mu_
  net::Address client_;
  std::string stopped_;
  struct Probe;
  std::unique_ptr<Probe> probe_;
};

}  // namespace pf::host::native
