// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "base/status.h"
#include "crypto/pki.h"
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
  bool terminated = false;  // the host sent 0x0109 after /cancel
  std::string first_idr;    // the first IDR access unit (Annex-B)
};

struct ClientStreamOptions {
  int width = 1280, height = 720, fps = 60;
  int bitrate_kbps = 8000;
  double seconds = 2.0;
  int drop_every = 0;      // drop every n-th video datagram (0 = none)
  bool send_key_a = true;  // press and release 'A' once streaming runs
  std::function<void(const std::vector<uint8_t>& au)> on_access_unit;
};

class MoonlightClient {
 public:
  MoonlightClient(std::string host, uint16_t http_port, crypto::PemIdentity identity);

  // Runs the four pairing phases over HTTP and the fifth over HTTPS.
  Status pair(const std::string& pin, const std::string& device_name = "gs-probe");
  Result<proto::gamestream::XmlElement> get(const std::string& path,
                                            const std::string& query,
                                            bool https);
  // Launches the first app, streams for a while, then /cancel.
  Result<ClientStreamResult> stream(const ClientStreamOptions& options);

 private:
  std::string host_;
  uint16_t http_port_, https_port_ = 0;
  crypto::PemIdentity id_;
};

}  // namespace pf::host::gamestream
