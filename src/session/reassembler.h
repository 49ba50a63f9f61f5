// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "base/status.h"
#include "crypto/aead.h"
#include "fec/cauchy_codec.h"
#include "fec/leopard_codec.h"
#include "session/replay_window.h"

namespace pf::proto::native {
struct VideoHeader;
}

namespace pf::session {

struct ReassemblerConfig {
  uint16_t shard_bytes = 1408;  // as negotiated; every packet is 32 + this + 16 bytes
  crypto::AeadAlgorithm cipher = crypto::AeadAlgorithm::kAes128Gcm;
  crypto::AeadBackend backend = crypto::AeadBackend::kAuto;
  std::vector<uint8_t> key;  // 16 (AES-128-GCM) or 32 bytes
  std::array<uint8_t, crypto::kNonceBytes> iv_base{};
  uint8_t key_epoch = 0;
  // A frame not complete this long after its first packet (or, if none of
  // its packets came, after the first packet of a newer frame) is lost.
  uint64_t frame_deadline_us = 33'333;   // 2 frame intervals at 60 fps
  size_t frames_in_flight = 8;           // frames assembled at once (2..256)
  size_t max_frame_bytes = 32u << 20;    // larger announced frames are dropped
  size_t max_buffer_bytes = 256u << 20;  // all shard buffers together
};

// What the reassembler hands out, in frame-index order.
struct ReassemblyEvent {
  enum class Kind : uint8_t { kFrame, kFrameLost };
  Kind kind = Kind::kFrame;
  uint32_t frame_index = 0;
  bool keyframe = false;
  bool recovery = false;          // references only frames before the last InvalidateRefs
  uint64_t capture_us = 0;        // host clock, from the header
  uint64_t first_packet_us = 0;   // receiver clock
  uint64_t done_us = 0;           // completed (kFrame) or given up (kFrameLost)
  uint32_t count = 1;             // kFrameLost: frames frame_index .. + count - 1
  uint32_t shards_recovered = 0;  // data shards rebuilt with FEC
  // kFrame: the access unit. Valid until the next poll().
  std::span<const uint8_t> data;
};

struct ReassemblerStats {
  uint64_t packets_accepted = 0;  // authenticated and used
  uint64_t packets_surplus = 0;   // for blocks or frames already complete
  uint64_t packets_late = 0;      // for frames already given up
  uint64_t duplicates = 0;        // a packet number (or shard) seen before
  uint64_t too_old = 0;           // behind the 131072-packet replay window
  uint64_t auth_failures = 0;     // tag did not verify, or wrong key epoch
  uint64_t malformed = 0;         // bad size/header, or contradicting its frame
  uint64_t over_budget = 0;       // would exceed max_frame_bytes / max_buffer_bytes
  uint64_t shards_recovered = 0;
  uint64_t blocks_recovered = 0;  // blocks that needed FEC
  uint64_t frames_complete = 0;
  uint64_t frames_lost = 0;
  uint64_t frames_corrupt = 0;   // authenticated but inconsistent (counted in lost)
  uint64_t frames_unpolled = 0;  // completed but skipped: nobody polled (counted in lost)
};

// Turns punktfunk/1 video packets (protocol section 4) back into frames: any
// order, with loss, duplication, corruption and replays. A block is rebuilt
// with FEC as soon as k of its shards are in; a frame is handed out when all
// its blocks are, or reported lost at its deadline. Events come out in frame
// order: a complete frame waits behind an older incomplete one until that one
// completes or its deadline passes.
//
// Data shards are decrypted straight into their place in the frame (every
// block but the last has the same k, so a block's place follows from its
// index), parity into a buffer beside it; a frame of many blocks is never
// joined by copying (only a last block that came before any other is).
//
// A packet for a frame more than frames_in_flight ahead means the sender has
// moved on: the oldest frames are skipped (one kFrameLost event with a count).
//
// Every packet is authenticated before it changes any state (only the replay
// check and cheap header checks run first), so forged packets cost a failed
// tag check and nothing else. Memory is bounded by the configuration whatever
// the input; once warm, nothing is allocated per frame.
//
// Sans-I/O: the caller passes the receive time. Thread model: not
// thread-safe; one per receiving session.
class Reassembler {
 public:
  enum class Verdict : uint8_t {
    kAccepted,
    kSurplus,
    kLate,
    kDuplicate,
    kTooOld,
    kAuthFailed,
    kMalformed,
    kOverBudget,
  };

  static Result<std::unique_ptr<Reassembler>> create(const ReassemblerConfig& config);
  ~Reassembler();

  // One received datagram, received at `now_us`. `packet` is only read.
  Verdict push(std::span<const uint8_t> packet, uint64_t now_us);

  // The next event at `now_us`, if any: frames lost at their deadline come
  // out here. Its data stays valid until the next poll().
  std::optional<ReassemblyEvent> poll(uint64_t now_us);

  const ReassemblerStats& stats() const { return stats_; }
  // Bytes held in shard buffers (bounded by max_buffer_bytes).
  size_t buffer_bytes() const { return buffer_bytes_; }

 private:
  struct Block;
  struct Slot;
  // Shard memory, never zero-filled: only bytes a packet or the decoder wrote
  // are read.
  struct Buffer {
    uint8_t* bytes = nullptr;
    size_t capacity = 0;
    Buffer() = default;
    Buffer(Buffer&& o) noexcept;
    Buffer& operator=(Buffer&& o) noexcept;
    ~Buffer();
    // To at least `n` bytes (rounded up), keeping the contents if `keep`.
    bool grow(size_t n, bool keep);
  };
  struct Place {
    uint8_t* shard;
    uint8_t* have;
  };
  explicit Reassembler(ReassemblerConfig config, std::unique_ptr<crypto::Aead> aead);

  Slot& slot_for(uint32_t frame) { return *slots_[frame % slots_.size()]; }
  Verdict commit(const proto::native::VideoHeader& h, const uint8_t* plaintext, uint64_t now_us);
  Verdict open_block(Slot& sl, Block& b, const proto::native::VideoHeader& h);
  Place locate(Slot& sl, const Block& b, uint32_t block, uint32_t shard);
  bool reserve(Buffer& buf, size_t bytes, bool keep);
  void park(Buffer& buf);
  void complete_block(Slot& s, Block& b, uint32_t block);
  void finish_frame(Slot& s, uint64_t now_us);
  bool place_tail(Slot& s);
  void open_frames_up_to(uint32_t frame, uint64_t now_us);
  void skip_to(uint32_t new_base);
  void give_up(uint32_t frame);
  void reset(Slot& s);

  ReassemblerConfig config_;
  std::unique_ptr<crypto::Aead> aead_;
  fec::CauchyCodec gf8_;
  fec::LeopardCodec gf16_;
  ReplayWindow replay_;
  std::vector<std::unique_ptr<Slot>> slots_;
  bool started_ = false;
  uint32_t base_ = 0;                        // oldest frame not yet handed out
  uint32_t newest_ = 0;                      // newest frame opened (base_ - 1 when none)
  uint32_t lost_from_ = 0, lost_count_ = 0;  // skipped frames not yet reported
  std::array<uint32_t, 256> lost_ring_{};    // recently given-up frames
  Buffer current_;                           // the frame poll() handed out
  std::vector<Buffer> spare_;                // parked shard buffers, reused first
  std::vector<uint8_t> scratch_;
  std::vector<uint8_t> present_;
  std::vector<uint8_t*> ptrs_;
  size_t buffer_bytes_ = 0;
  size_t data_hint_ = 0, parity_hint_ = 0;  // bytes the last complete frame used
  size_t max_frame_data_shards_ = 0;
  ReassemblerStats stats_;
};

const char* to_string(Reassembler::Verdict v);

}  // namespace pf::session
