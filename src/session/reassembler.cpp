// SPDX-License-Identifier: MIT OR Apache-2.0
#include "session/reassembler.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "proto/native/video_packet.h"
#include "session/fec_policy.h"

namespace pf::session {

using proto::native::kAeadTagBytes;
using proto::native::kVideoHeaderBytes;
using proto::native::VideoHeader;

// Frame indices this close to 2^32 are refused, so index arithmetic below
// never wraps (at 1000 fps they last 49 days).
constexpr uint32_t kMaxFrameIndex = 0xFFFF'0000u;

struct Reassembler::Block {
  uint32_t first = 0;  // index of its first shard in the slot's arena
  uint16_t k = 0, m = 0;
  uint32_t have = 0, have_data = 0;
  bool gf16 = false, used = false, done = false;
};

struct Reassembler::Slot {
  enum class State : uint8_t {
    kEmpty,
    kWaiting,   // no packet yet, but a newer frame has one: the deadline runs
    kActive,    // packets arriving
    kComplete,  // ready for poll() (or corrupt: reported lost)
  };
  State state = State::kEmpty;
  uint32_t frame = 0;
  bool keyframe = false, recovery = false, corrupt = false;
  uint64_t capture_us = 0, first_us = 0, deadline_us = 0, done_us = 0;
  int32_t blocks_total = -1;  // known once the last-block packet came
  uint32_t blocks_done = 0, max_block = 0;
  uint32_t shards_used = 0, data_shards = 0, recovered = 0;
  size_t data_offset = 0, data_len = 0;
  std::vector<Block> blocks;
  std::vector<uint8_t> have;   // per arena shard
  std::vector<uint8_t> arena;  // shards of each block: data, then parity
};

const char* to_string(Reassembler::Verdict v) {
  switch (v) {
    case Reassembler::Verdict::kAccepted:
      return "accepted";
    case Reassembler::Verdict::kSurplus:
      return "surplus";
    case Reassembler::Verdict::kLate:
      return "late";
    case Reassembler::Verdict::kDuplicate:
      return "duplicate";
    case Reassembler::Verdict::kTooOld:
      return "too old";
    case Reassembler::Verdict::kAuthFailed:
      return "authentication failed";
    case Reassembler::Verdict::kMalformed:
      return "malformed";
    case Reassembler::Verdict::kOverBudget:
      return "over budget";
  }
  return "?";
}

Result<std::unique_ptr<Reassembler>> Reassembler::create(const ReassemblerConfig& config) {
  if (config.shard_bytes == 0 || config.shard_bytes % 64 != 0)
    return make_error(
        StatusCode::kInvalidArgument,
        fmt::format("shard size {} must be a positive multiple of 64", config.shard_bytes));
  if (config.frames_in_flight < 2 || config.frames_in_flight > 256)
    return make_error(
        StatusCode::kInvalidArgument,
        fmt::format("frames in flight {} is outside 2..256", config.frames_in_flight));
  if (config.max_frame_bytes == 0 || config.max_frame_bytes > (1u << 30))
    return make_error(StatusCode::kInvalidArgument, "max frame bytes must be within 1 B..1 GiB");
  auto aead = crypto::Aead::create(config.cipher, config.key, config.backend);
  if (!aead)
    return tl::unexpected(aead.error());
  return std::unique_ptr<Reassembler>(new Reassembler(config, std::move(*aead)));
}

Reassembler::Reassembler(ReassemblerConfig config, std::unique_ptr<crypto::Aead> aead)
    : config_(std::move(config)), aead_(std::move(aead)) {
  slots_.reserve(config_.frames_in_flight);
  for (size_t i = 0; i < config_.frames_in_flight; ++i)
    slots_.push_back(std::make_unique<Slot>());
  scratch_.resize(config_.shard_bytes);
  spare_.reserve(config_.frames_in_flight + 2);
  max_frame_data_shards_ = data_shards_for(config_.max_frame_bytes, config_.shard_bytes);
}

Reassembler::~Reassembler() = default;

bool Reassembler::reserve(std::vector<uint8_t>& buf, size_t bytes, bool keep) {
  if (bytes <= buf.capacity())
    return true;
  // A buffer whose contents do not matter may be swapped for the largest
  // parked one (sizes are kept: bytes past a shard's fill are never read).
  if (!keep && !spare_.empty()) {
    auto largest = std::max_element(spare_.begin(), spare_.end(), [](const auto& a, const auto& b) {
      return a.capacity() < b.capacity();
    });
    if (largest->capacity() > buf.capacity()) {
      std::swap(buf, *largest);
      if (largest->capacity() == 0)
        spare_.erase(largest);
      if (bytes <= buf.capacity())
        return true;
    }
  }
  // Make room by freeing parked buffers, then grow.
  const size_t old = buf.capacity();
  while (buffer_bytes_ + (bytes - old) > config_.max_buffer_bytes && !spare_.empty()) {
    buffer_bytes_ -= spare_.back().capacity();
    spare_.pop_back();
  }
  if (buffer_bytes_ + (bytes - old) > config_.max_buffer_bytes)
    return false;
  buf.reserve(bytes);
  buffer_bytes_ += buf.capacity() - old;
  return true;
}

Reassembler::Verdict Reassembler::push(std::span<const uint8_t> packet, uint64_t now_us) {
  const size_t s = config_.shard_bytes;
  if (packet.size() != kVideoHeaderBytes + s + kAeadTagBytes) {
    ++stats_.malformed;
    return Verdict::kMalformed;
  }
  auto parsed = proto::native::parse_video_header(packet);
  if (!parsed || parsed->type != proto::native::PacketType::kVideoShard ||
      parsed->frame_index == 0 || parsed->frame_index > kMaxFrameIndex) {
    ++stats_.malformed;
    return Verdict::kMalformed;
  }
  const VideoHeader& h = *parsed;
  if (h.key_epoch != config_.key_epoch) {
    ++stats_.auth_failures;
    return Verdict::kAuthFailed;
  }
  switch (replay_.check(h.packet_number)) {
    case ReplayWindow::Verdict::kTooOld:
      ++stats_.too_old;
      return Verdict::kTooOld;
    case ReplayWindow::Verdict::kDuplicate:
      ++stats_.duplicates;
      return Verdict::kDuplicate;
    case ReplayWindow::Verdict::kNew:
      break;
  }

  // Cheap early exits that need no decryption (and change no state).
  uint8_t* dest = scratch_.data();
  if (started_) {
    if (h.frame_index < base_) {
      if (lost_ring_[h.frame_index % lost_ring_.size()] == h.frame_index) {
        ++stats_.packets_late;
        return Verdict::kLate;
      }
      ++stats_.packets_surplus;
      return Verdict::kSurplus;
    }
    Slot& sl = slot_for(h.frame_index);
    if (h.frame_index - base_ < slots_.size() && sl.frame == h.frame_index) {
      if (sl.state == Slot::State::kComplete) {
        ++stats_.packets_surplus;
        return Verdict::kSurplus;
      }
      if (sl.state == Slot::State::kActive && h.block_index < sl.blocks.size()) {
        Block& b = sl.blocks[h.block_index];
        if (b.used && b.done) {
          ++stats_.packets_surplus;
          return Verdict::kSurplus;
        }
        // The common case: decrypt straight into place. A failed tag leaves
        // garbage in a shard that is not marked present.
        if (b.used && b.k == h.k && b.m == h.m && b.gf16 == h.gf16() &&
            !sl.have[b.first + h.shard_index])
          dest = sl.arena.data() + size_t{b.first + h.shard_index} * s;
      }
    }
  }

  std::array<uint8_t, crypto::kNonceBytes> nonce;
  crypto::make_nonce(config_.iv_base, h.packet_number, nonce);
  if (!aead_->open(nonce, packet.first(kVideoHeaderBytes), packet.subspan(kVideoHeaderBytes),
                   dest)) {
    ++stats_.auth_failures;
    return Verdict::kAuthFailed;
  }
  replay_.accept(h.packet_number);
  return commit(h, dest, now_us);
}

void Reassembler::open_frames_up_to(uint32_t frame, uint64_t now_us) {
  // Frames between the newest opened one and this one had no packet yet;
  // their packets were sent earlier, so their deadline starts now.
  for (uint64_t f = std::max<uint64_t>(uint64_t{newest_} + 1, base_); f <= frame; ++f) {
    Slot& s = slot_for(static_cast<uint32_t>(f));
    reset(s);
    s.state = Slot::State::kWaiting;
    s.frame = static_cast<uint32_t>(f);
    s.first_us = now_us;
    s.deadline_us = now_us + config_.frame_deadline_us;
  }
  newest_ = std::max(newest_, frame);
}

void Reassembler::give_up(uint32_t frame) {
  lost_ring_[frame % lost_ring_.size()] = frame;
}

void Reassembler::skip_to(uint32_t new_base) {
  // Everything older than new_base is reported as one lost range.
  const uint32_t end = new_base;
  for (uint32_t f = base_; f < end && f - base_ < slots_.size(); ++f) {
    Slot& s = slot_for(f);
    if (s.frame == f && s.state == Slot::State::kComplete && !s.corrupt)
      ++stats_.frames_unpolled;
    reset(s);
  }
  for (uint32_t f = std::max(base_, end > 256 ? end - 256 : 0); f < end; ++f)
    give_up(f);
  if (lost_count_ == 0)
    lost_from_ = base_;
  lost_count_ += end - base_;
  stats_.frames_lost += end - base_;
  base_ = end;
  if (newest_ + 1 < base_)
    newest_ = base_ - 1;
}

Reassembler::Verdict Reassembler::commit(const VideoHeader& h,
                                         const uint8_t* plaintext,
                                         uint64_t now_us) {
  const size_t s = config_.shard_bytes;
  const auto malformed = [&] {
    ++stats_.malformed;
    return Verdict::kMalformed;
  };
  if (h.m > std::max<uint32_t>(2, h.k))
    return malformed();  // more parity than the policy ever makes (100 %)
  if (!started_) {
    started_ = true;
    base_ = h.frame_index;
    newest_ = base_ - 1;
  }
  if (h.frame_index - base_ >= slots_.size())
    skip_to(h.frame_index - static_cast<uint32_t>(slots_.size()) + 1);
  if (h.frame_index > newest_)
    open_frames_up_to(h.frame_index, now_us);

  Slot& sl = slot_for(h.frame_index);
  if (sl.state == Slot::State::kComplete) {
    ++stats_.packets_surplus;
    return Verdict::kSurplus;
  }
  if (sl.state == Slot::State::kWaiting) {
    sl.state = Slot::State::kActive;
    sl.first_us = now_us;
    sl.keyframe = h.keyframe();
    sl.recovery = h.recovery();
    sl.capture_us = h.capture_us;
  } else if (sl.keyframe != h.keyframe() || sl.recovery != h.recovery() ||
             sl.capture_us != h.capture_us) {
    return malformed();
  }
  const uint32_t bi = h.block_index;
  if (sl.blocks_total >= 0 && bi >= static_cast<uint32_t>(sl.blocks_total))
    return malformed();
  if (h.last_block() && sl.blocks_total < 0 && !sl.blocks.empty() && sl.max_block > bi)
    return malformed();
  if (bi >= sl.blocks.size())
    sl.blocks.resize(bi + 1);
  Block& b = sl.blocks[bi];
  if (!b.used) {
    const uint32_t n = uint32_t{h.k} + h.m;
    if (sl.data_shards + h.k > max_frame_data_shards_) {
      ++stats_.over_budget;
      return Verdict::kOverBudget;
    }
    const size_t need = size_t{sl.shards_used + n} * s;
    if (!reserve(sl.arena, need, sl.shards_used > 0)) {
      ++stats_.over_budget;
      return Verdict::kOverBudget;
    }
    if (sl.arena.size() < need)
      sl.arena.resize(need);
    if (sl.have.size() < sl.shards_used + n)
      sl.have.resize(sl.shards_used + n);
    b.used = true;
    b.first = sl.shards_used;
    b.k = h.k;
    b.m = h.m;
    b.gf16 = h.gf16();
    sl.shards_used += n;
    sl.data_shards += h.k;
    sl.max_block = std::max(sl.max_block, bi);
  } else if (b.k != h.k || b.m != h.m || b.gf16 != h.gf16()) {
    return malformed();
  }
  if (b.done) {
    ++stats_.packets_surplus;
    return Verdict::kSurplus;
  }
  const size_t at = size_t{b.first} + h.shard_index;
  if (sl.have[at]) {
    ++stats_.duplicates;
    return Verdict::kDuplicate;
  }
  uint8_t* place = sl.arena.data() + at * s;
  if (plaintext != place)
    std::memcpy(place, plaintext, s);
  sl.have[at] = 1;
  ++b.have;
  if (h.shard_index < b.k)
    ++b.have_data;
  if (h.last_block())
    sl.blocks_total = static_cast<int32_t>(bi) + 1;
  ++stats_.packets_accepted;
  if (b.have >= b.k)
    complete_block(sl, b);
  if (sl.blocks_total >= 0 && sl.blocks_done == static_cast<uint32_t>(sl.blocks_total))
    finish_frame(sl, now_us);
  return Verdict::kAccepted;
}

void Reassembler::complete_block(Slot& sl, Block& b) {
  b.done = true;
  ++sl.blocks_done;
  if (b.have_data == b.k)
    return;
  const size_t s = config_.shard_bytes;
  const size_t n = size_t{b.k} + b.m;
  ptrs_.resize(n);
  for (size_t i = 0; i < n; ++i)
    ptrs_[i] = sl.arena.data() + (b.first + i) * s;
  const std::span<const uint8_t> present(sl.have.data() + b.first, n);
  const Status st = b.gf16 ? gf16_.decode(b.k, b.m, s, ptrs_.data(), present)
                           : gf8_.decode(b.k, b.m, s, ptrs_.data(), present);
  if (!st.is_ok()) {
    sl.corrupt = true;  // a shape the codec refuses: the sender is broken
    return;
  }
  const uint32_t rebuilt = b.k - b.have_data;
  sl.recovered += rebuilt;
  stats_.shards_recovered += rebuilt;
  ++stats_.blocks_recovered;
}

void Reassembler::finish_frame(Slot& sl, uint64_t now_us) {
  const size_t s = config_.shard_bytes;
  sl.state = Slot::State::kComplete;
  sl.done_us = now_us;
  // Every block index below blocks_total must have been seen: blocks_done
  // counts distinct blocks, so equality means none is missing.
  if (sl.corrupt || sl.blocks.size() != static_cast<size_t>(sl.blocks_total)) {
    sl.corrupt = true;
    return;
  }
  const uint8_t* first = sl.arena.data() + size_t{sl.blocks[0].first} * s;
  const uint32_t len = uint32_t{first[0]} | uint32_t{first[1]} << 8 | uint32_t{first[2]} << 16 |
                       uint32_t{first[3]} << 24;
  if (len > config_.max_frame_bytes || data_shards_for(len, s) != sl.data_shards) {
    sl.corrupt = true;
    return;
  }
  sl.data_len = len;
  if (sl.blocks.size() == 1) {
    sl.data_offset = size_t{sl.blocks[0].first} * s + 4;
    return;
  }
  // Several blocks: join their data shards (each block's region is data
  // then parity, so they are not contiguous in the arena).
  const size_t total = size_t{sl.data_shards} * s;
  if (!reserve(assemble_, total, false)) {
    ++stats_.over_budget;
    sl.corrupt = true;
    return;
  }
  assemble_.resize(std::max(assemble_.size(), total));
  size_t off = 0;
  for (const Block& b : sl.blocks) {
    std::memcpy(assemble_.data() + off, sl.arena.data() + size_t{b.first} * s, size_t{b.k} * s);
    off += size_t{b.k} * s;
  }
  std::swap(assemble_, sl.arena);
  sl.data_offset = 4;
}

void Reassembler::reset(Slot& sl) {
  std::fill(sl.have.begin(), sl.have.begin() + std::min<size_t>(sl.shards_used, sl.have.size()), 0);
  if (sl.arena.capacity() > 0) {
    spare_.push_back(std::move(sl.arena));  // capacity reserved: no allocation
    sl.arena = {};
  }
  sl.blocks.clear();
  sl.state = Slot::State::kEmpty;
  sl.keyframe = sl.recovery = sl.corrupt = false;
  sl.capture_us = sl.first_us = sl.deadline_us = sl.done_us = 0;
  sl.blocks_total = -1;
  sl.blocks_done = sl.max_block = 0;
  sl.shards_used = sl.data_shards = sl.recovered = 0;
  sl.data_offset = sl.data_len = 0;
}

std::optional<ReassemblyEvent> Reassembler::poll(uint64_t now_us) {
  ReassemblyEvent ev;
  if (lost_count_ > 0) {
    ev.kind = ReassemblyEvent::Kind::kFrameLost;
    ev.frame_index = lost_from_;
    ev.count = lost_count_;
    ev.done_us = now_us;
    lost_count_ = 0;
    return ev;
  }
  if (!started_)
    return std::nullopt;
  Slot& sl = slot_for(base_);
  if (sl.frame != base_ || sl.state == Slot::State::kEmpty)
    return std::nullopt;
  const bool complete = sl.state == Slot::State::kComplete;
  if (!complete && now_us < sl.deadline_us)
    return std::nullopt;
  ev.frame_index = base_;
  ev.keyframe = sl.keyframe;
  ev.recovery = sl.recovery;
  ev.capture_us = sl.capture_us;
  ev.first_packet_us = sl.first_us;
  ev.shards_recovered = sl.recovered;
  if (complete && !sl.corrupt) {
    ev.kind = ReassemblyEvent::Kind::kFrame;
    ev.done_us = sl.done_us;
    std::swap(current_, sl.arena);
    ev.data = std::span<const uint8_t>(current_).subspan(sl.data_offset, sl.data_len);
    ++stats_.frames_complete;
  } else {
    ev.kind = ReassemblyEvent::Kind::kFrameLost;
    ev.done_us = now_us;
    if (sl.corrupt)
      ++stats_.frames_corrupt;
    ++stats_.frames_lost;
    give_up(base_);
  }
  reset(sl);
  ++base_;
  if (newest_ + 1 < base_)
    newest_ = base_ - 1;
  return ev;
}

}  // namespace pf::session
