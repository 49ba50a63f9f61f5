// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <sched.h>

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
// the datagram thread (which decodes) and PipeWire's real-time callback (which
// only copies) holds one consumer quantum plus a margin before each pull: one
// and a half packets, widened by one after a short pull (up to eight),
// narrowed after 10 s without one.
// When the callback runs short with audio still coming — the graph's quantum
// grew, or packets came late — the next packet first adds Opus concealment up
// to that depth, so the sound goes on instead of re-priming with silence; lost
// packets are concealed too (in-band FEC, else PLC); a backlog beyond 50 ms
// over the target is cut; a sender that stops leaves silence (counted), and
// the next one primes afresh.
// Thread model: push() from one thread; PipeWire pulls on its own thread.
namespace pf::host {

struct MicStats {
  uint64_t packets = 0, concealed = 0, late = 0, underruns = 0, overflows = 0;
  uint64_t frames_played = 0;
  // Frames PipeWire asked for in the source's last cycle: the graph's real
  // quantum while something records it.
  uint64_t quantum_frames = 0;
  uint64_t recovered_fec = 0;     // lost packets rebuilt from the next one's in-band FEC
  uint64_t stretched_frames = 0;  // concealment added to refill the buffer after a short pull
  uint64_t trimmed_frames = 0;    // cut from a backlog beyond the target
  uint64_t trims = 0;             // how often (the first pull after a while without one, too)
  uint64_t no_buffer = 0;         // cycles PipeWire had no buffer to fill (silence there)
  // Graph stalls: cycles that came more than 20 ms after the last one's
  // quantum was due (the graph or its driver held up, e.g. a stopped or
  // starved PipeWire); a stall beyond the margin ends in a cut.
  uint64_t stalls = 0;
  double longest_stall_ms = 0;
  double target_ms = 0;  // the depth it holds before a pull now (quantum + margin)
  // The scheduling of PipeWire's thread that runs the source (seen in its
  // first cycle): SCHED_FIFO/SCHED_RR where RTKit or RLIMIT_RTPRIO allowed
  // it, else SCHED_OTHER (-1 before the first cycle).
  int sched_policy = -1, sched_priority = 0;
  bool realtime() const { return sched_policy == SCHED_FIFO || sched_policy == SCHED_RR; }
  // Client capture -> the packet's first sample leaving the source (packets
  // pushed with a capture time), since the source opened.
  uint64_t latency_samples = 0;
  double latency_ms_p50 = 0, latency_ms_p99 = 0;
  // Audio buffered in the jitter buffer at each PipeWire callback.
  double depth_ms_p50 = 0, depth_ms_min = 0, depth_ms_max = 0;
  double depth_ms_last = 0;  // at the last callback
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
