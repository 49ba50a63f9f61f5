// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "base/spsc_ring.h"
#include "host/capture/frame.h"
#include "host/capture/video_source.h"

namespace pf::host {

struct CaptureStats {
  uint64_t captured = 0;  // frames the source delivered
  uint64_t skipped = 0;   // captured, but a newer one was ready when the encoder came
  uint64_t full = 0;      // ticks without a capture: every slot was still waiting
};

// Runs a VideoSource on its own thread at the session's frame rate and hands
// the frames to one consumer (the encoder thread) through an SPSC ring of
// pre-allocated YUV frames: the source converts straight into a ring slot and
// the encoder reads that slot in place, so capture of the next frame overlaps
// encoding of this one with no copy in between.
//
// Latency beats completeness: acquire() returns the newest frame and skips
// older ones; when every slot is still waiting the thread skips the tick
// instead of capturing (the encoder is behind). Both are counted.
//
// Thread model: the constructor starts the capture thread, the destructor
// stops and joins it; acquire/release belong to one consumer thread; stats()
// and failure() may be called from any thread.
class CaptureThread {
 public:
  // Frames come in `chroma` sampling (the encoder's: 4:4:4 for a client that asked for it).
  CaptureThread(std::unique_ptr<VideoSource> source,
                int fps,
                ChromaSampling chroma = ChromaSampling::k420,
                size_t slots = 3);
  ~CaptureThread();
  CaptureThread(const CaptureThread&) = delete;
  CaptureThread& operator=(const CaptureThread&) = delete;

  // Waits up to `timeout` for a frame newer than the last one acquired and
  // returns the newest; nullptr on timeout or once the source has failed.
  // The frame stays valid until release().
  const YuvFrame* acquire(std::chrono::milliseconds timeout);
  void release();

  const VideoSource& source() const { return *source_; }
  // Why the source stopped delivering frames; empty while it works.
  std::string failure() const;
  CaptureStats stats() const;

 private:
  void run(int fps);

  std::unique_ptr<VideoSource> source_;
  const ChromaSampling chroma_;
  SpscRing<YuvFrame> ring_;
  bool holding_ = false;  // consumer-only: a peeked frame not yet released
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;  // guards failure_, stats_ and the wake-up below
  std::condition_variable cv_;
  std::string failure_;
  CaptureStats stats_;
  std::thread thread_;
};

}  // namespace pf::host
