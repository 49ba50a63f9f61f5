// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

// Desktop audio from PipeWire: the host creates a virtual sink
// ("punktfunk-speakers", what applications in the session play to) and
// captures its monitor as 48 kHz float PCM. The PipeWire thread writes into a
// lock-free single-producer/single-consumer ring (no locks or allocation on
// the real-time side; on overflow the oldest audio is dropped and counted);
// the encoder thread reads whole packets from it. Thread model: read() from
// one thread.
namespace pf::host {

struct PwCaptureStats {
  uint64_t frames_captured = 0, frames_dropped = 0;
};

class PwAudioCapture {
 public:
  static constexpr const char* kSinkName = "punktfunk-speakers";

  // Connects to the user's PipeWire (XDG_RUNTIME_DIR); kUnavailable with a
  // reason when it is not running.
  static Result<std::unique_ptr<PwAudioCapture>> start(int channels);
  struct Options {
    int channels = 2;
    // Capture the user's default sink's monitor instead of creating
    // punktfunk-speakers (for desktops whose apps stay on their own output).
    bool default_sink_monitor = false;
    // Make the sink the default sink while capturing (restored after).
    bool make_default = false;
    // The sink to create and capture: each session has its own
    // ("punktfunk-<session>"), which its app plays to.
    std::string sink_name = kSinkName;
    // False when the sink exists already (a session's PwSink): only capture it.
    bool create_sink = true;
  };
  static Result<std::unique_ptr<PwAudioCapture>> start(const Options& options);
  ~PwAudioCapture();

  // Fills `out` with frames * channels samples, waiting up to `timeout`;
  // false on timeout (nothing consumed).
  bool read(float* out, size_t frames, std::chrono::milliseconds timeout);
  int channels() const { return channels_; }
  PwCaptureStats stats() const;

 private:
  struct Impl;
  PwAudioCapture() = default;
  std::unique_ptr<Impl> impl_;
  int channels_ = 2;
};

}  // namespace pf::host
