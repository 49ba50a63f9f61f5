// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "base/status.h"

// The client's microphone on the host (punktfunk-protocol.md section 6): Opus
// packets (0xCB datagrams, 48 kHz mono, 10 ms) are decoded and played into a
// PipeWire output stream with media.class Audio/Source and node name
// "punktfunk-mic", which any application can record. A jitter buffer between
// the datagram thread and PipeWire's real-time callback primes to about three
// consumer quanta before it plays, conceals lost packets with Opus PLC, and
// plays silence (counted) rather than blocking when it runs dry.
// Thread model: push() from one thread; PipeWire pulls on its own thread.
namespace pf::host {

struct MicStats {
  uint64_t packets = 0, concealed = 0, late = 0, underruns = 0, overflows = 0;
  uint64_t frames_played = 0;
  // Frames PipeWire asked for in the source's last cycle: the graph's real
  // quantum while something records it.
  uint64_t quantum_frames = 0;
  uint64_t recovered_fec = 0;  // lost packets rebuilt from the next one's in-band FEC
  // Client capture -> the packet's first sample leaving the source (packets
  // pushed with a capture time), since the source opened.
  uint64_t latency_samples = 0;
  double latency_ms_p50 = 0, latency_ms_p99 = 0;
  // Audio buffered in the jitter buffer at each PipeWire callback.
  double depth_ms_p50 = 0, depth_ms_min = 0, depth_ms_max = 0;
};

class MicSource {
 public:
  static constexpr const char* kNodeName = "punktfunk-mic";

  static Result<std::unique_ptr<MicSource>> start();
  ~MicSource();

  // One Opus packet with its sequence number (gaps are concealed) and, if
  // known, when the client captured it on this host's clock (for latency).
  // False when it was dropped as late (a sequence number already passed).
  bool push(uint32_t seq, std::span<const uint8_t> opus, int64_t capture_host_ns = 0);
  // Another sender from now on: its sequence numbers start afresh, the
  // decoder forgets the last one's state (MicService calls it).
  void new_sender();
  MicStats stats() const;
  // False once PipeWire went away or the stream failed (MicService reopens).
  bool connected() const;

 private:
  struct Impl;
  MicSource() = default;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pf::host
