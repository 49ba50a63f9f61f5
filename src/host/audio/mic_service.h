// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>

#include "base/clock.h"
#include "base/status.h"
#include "host/audio/mic_source.h"

// The host's microphone service (punktfunk-protocol.md section 6): outlives
// sessions, opens the PipeWire source "punktfunk-mic" on the first mic packet,
// and heals itself: when PipeWire goes away (or the stream fails) the source
// is dropped, and the next packets reopen it (at most one attempt every
// 500 ms; packets that find no source are dropped and counted).
// Thread model: push() and stats() from any thread (serialized inside).
namespace pf::host {

struct MicServiceStats {
  uint64_t packets = 0, dropped_no_source = 0, opens = 0, failed_opens = 0;
  MicStats source;  // of the current source
  bool open = false;
};

class MicService {
 public:
  using Factory = std::function<Result<std::unique_ptr<MicSource>>()>;
  explicit MicService(Factory factory = &MicSource::start,
                      const Clock& clock = SteadyClock::instance());
  // capture_host_ns: when the client captured the packet, on this host's clock (0 = unknown).
  void push(uint32_t seq, std::span<const uint8_t> opus, int64_t capture_host_ns = 0);
  MicServiceStats stats() const;

 private:
  Factory factory_;
  const Clock& clock_;
  mutable std::mutex mu_;
  std::unique_ptr<MicSource> source_;
  int64_t next_attempt_ns_ = 0;
  MicServiceStats stats_;
};

}  // namespace pf::host
