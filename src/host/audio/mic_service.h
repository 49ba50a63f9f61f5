// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <map>
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
// One speaker at a time (punktfunk-protocol.md section 6): the sender that
// holds the source keeps it while it sends; another sender takes it over
// once the holder has been silent for kHandoverNs (or ended: end_sender()),
// and its sequence numbers start afresh. Packets of a sender that does not
// hold the source, and late ones, are dropped and counted per sender (and
// logged at most every 5 s).
// Thread model: push() and stats() from any thread (serialized inside).
namespace pf::host {

// One sender's packets (a punktfunk/1 connection's).
struct MicSenderStats {
  uint64_t packets = 0, played = 0, late = 0, not_speaker = 0;
};

struct MicServiceStats {
  uint64_t packets = 0, dropped_no_source = 0, opens = 0, failed_opens = 0;
  uint64_t late = 0, not_speaker = 0, handovers = 0;
  uint32_t speaker = 0;  // the sender holding the source (0 = none)
  MicStats source;       // of the current source
  bool open = false;
};

class MicService {
 public:
  using Factory = std::function<Result<std::unique_ptr<MicSource>>()>;
  explicit MicService(Factory factory = &MicSource::start,
                      const Clock& clock = SteadyClock::instance());
  // sender: who sent it (a connection id, not 0); capture_host_ns: when the
  // client captured the packet, on this host's clock (0 = unknown).
  void push(uint32_t sender,
            uint32_t seq,
            std::span<const uint8_t> opus,
            int64_t capture_host_ns = 0);
  // The sender is gone (its connection ended): another may speak at once.
  void end_sender(uint32_t sender);
  MicServiceStats stats() const;
  MicSenderStats sender_stats(uint32_t sender) const;

  static constexpr int64_t kHandoverNs = 200'000'000;

 private:
  Factory factory_;
  const Clock& clock_;
  mutable std::mutex mu_;
  std::unique_ptr<MicSource> source_;
  int64_t next_attempt_ns_ = 0;
  MicServiceStats stats_;
  int64_t speaker_last_ns_ = 0;  // the speaker's last packet
  std::map<uint32_t, MicSenderStats> senders_;
  int64_t next_log_ns_ = 0;
  uint64_t logged_drops_ = 0;
  bool open_source_locked(int64_t now);
  void log_drops_locked(int64_t now);
};

}  // namespace pf::host
