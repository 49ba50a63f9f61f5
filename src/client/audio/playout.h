// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>

// The client's audio playout policy, sans I/O: an adaptive jitter buffer in
// front of the sound device. It estimates the network's jitter from packet
// arrivals (RFC 3550's interarrival jitter) and keeps the device's queue near
// a target of 10 ms + 3 x jitter (10..80 ms): after an underrun it holds
// playback until the queue reaches the target (one gap instead of a stutter),
// and while the queue runs more than 20 ms over the target (bursts, a device
// clock slower than the host's) it drops packets to bring latency back.
// Thread model: one thread (the decoding one).
namespace pf::client {

class Playout {
 public:
  static constexpr int kRate = 48000;
  struct Decision {
    bool queue = true;   // give the packet to the device (false: drop it)
    bool start = false;  // the device may play now (it reached the target)
    bool pause = false;  // hold the device: it ran dry, fill up first
  };
  // A packet of `frames` samples arrived at now_ns; `queued_frames` still
  // wait in the device.
  Decision on_packet(int64_t now_ns, size_t frames, size_t queued_frames);

  double jitter_ms() const { return jitter_ms_; }
  double target_ms() const;
  uint64_t underruns() const { return underruns_; }
  uint64_t dropped() const { return dropped_; }
  bool playing() const { return playing_; }

 private:
  int64_t last_arrival_ns_ = 0;
  size_t last_frames_ = 0;
  double jitter_ms_ = 0;
  bool playing_ = false;
  uint64_t underruns_ = 0, dropped_ = 0;
};

}  // namespace pf::client
