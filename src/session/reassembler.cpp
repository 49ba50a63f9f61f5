// SPDX-License-Identifier: MIT OR Apache-2.0
#include "session/reassembler.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <utility>

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
  uint16_t k = 0, m = 0;
  uint32_t have = 0, have_data = 0;
  bool gf16 = false, used = false, done = false;
  bool tail = false;  // a last block that came before any other: kept aside
};

// Where a frame's shards live. Block b (not the last) holds data shards
// b * k0 .. b * k0 + k0 - 1 of the frame and parity shards b * m0 .. of the
// parity buffer; the last block follows them, or sits in `tail` when it came
// before any other block told k0.
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
  uint32_t k0 = 0, m0 = 0;  // shape of every block but the last (0: none seen)
  bool gf16_0 = false;
  uint32_t data_shards = 0, recovered = 0;
  size_t data_end = 0, parity_end = 0;  // shards the blocks seen so far span
  size_t data_len = 0;
  std::vector<Block> blocks;
  Buffer data, parity, tail;
  std::vector<uint8_t> have_data, have_parity, have_tail;  // per shard
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
  spare_.reserve(3 * config_.frames_in_flight + 4);
  max_frame_data_shards_ = data_shards_for(config_.max_frame_bytes, config_.shard_bytes);
}

Reassembler::~Reassembler() = default;

namespace {
constexpr size_t kHugePage = 2u << 20;

// Buffers of megabytes are mapped on their own, in transparent huge pages
// where the kernel has them (madvise): a 20 MB frame then costs ten page
// faults, not 5000, and grows with mremap (pages moved, nothing copied).
size_t allocation_size(size_t bytes) {
  return bytes < kHugePage ? bytes : (bytes + kHugePage - 1) / kHugePage * kHugePage;
}

void release(uint8_t* p, size_t capacity) {
  if (!p)
    return;
  if (capacity >= kHugePage)
    munmap(p, capacity);
  else
    std::free(p);
}

uint8_t* map_large(size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return nullptr;
  madvise(p, bytes, MADV_HUGEPAGE);  // a hint: without it, small pages
  return static_cast<uint8_t*>(p);
}
}  // namespace

Reassembler::Buffer::Buffer(Buffer&& o) noexcept
    : bytes(std::exchange(o.bytes, nullptr)), capacity(std::exchange(o.capacity, 0)) {}

Reassembler::Buffer& Reassembler::Buffer::operator=(Buffer&& o) noexcept {
  if (this != &o) {
    release(bytes, capacity);
    bytes = std::exchange(o.bytes, nullptr);
    capacity = std::exchange(o.capacity, 0);
  }
  return *this;
}

Reassembler::Buffer::~Buffer() {
  release(bytes, capacity);
}

bool Reassembler::Buffer::grow(size_t n, bool keep) {
  n = allocation_size(n);
  uint8_t* p = nullptr;
  if (n < kHugePage) {
    p = static_cast<uint8_t*>(keep ? std::realloc(bytes, n) : std::malloc(n));
    if (!p)
      return false;
    if (!keep)
      std::free(bytes);
  } else if (capacity >= kHugePage) {
    void* moved = mremap(bytes, capacity, n, MREMAP_MAYMOVE);
    if (moved == MAP_FAILED)
      return false;
    p = static_cast<uint8_t*>(moved);
    madvise(p, n, MADV_HUGEPAGE);
  } else {
    p = map_large(n);
    if (!p)
      return false;
    if (keep && capacity > 0)
      std::memcpy(p, bytes, capacity);
    release(bytes, capacity);
  }
  bytes = p;
  capacity = n;
  return true;
}

bool Reassembler::reserve(Buffer& buf, size_t bytes, bool keep) {
  if (bytes <= buf.capacity)
    return true;
  if (!keep && !spare_.empty()) {
    // Contents that do not matter: the smallest parked buffer that fits,
    // else the largest one (grown below).
    auto best = spare_.end(), largest = spare_.begin();
    for (auto it = spare_.begin(); it != spare_.end(); ++it) {
      if (it->capacity >= bytes && (best == spare_.end() || it->capacity < best->capacity))
        best = it;
      if (it->capacity > largest->capacity)
        largest = it;
    }
    auto pick = best != spare_.end() ? best : largest;
    if (pick->capacity > buf.capacity) {
      std::swap(buf, *pick);
      if (pick->capacity == 0)
        spare_.erase(pick);
      if (bytes <= buf.capacity)
        return true;
    }
  }
  // Make room by freeing parked buffers, then grow. A frame of many blocks
  // grows block by block, so a kept buffer doubles (within the budget)
  // rather than being copied once per block.
  const size_t old = buf.capacity;
  if (keep && old > 0)
    bytes = std::max(bytes, std::min(2 * old, config_.max_buffer_bytes - buffer_bytes_ + old));
  bytes = allocation_size(bytes);
  while (buffer_bytes_ + (bytes - old) > config_.max_buffer_bytes && !spare_.empty()) {
    buffer_bytes_ -= spare_.back().capacity;
    spare_.pop_back();
  }
  if (buffer_bytes_ + (bytes - old) > config_.max_buffer_bytes)
    return false;
  if (!buf.grow(bytes, keep))
    return false;
  buffer_bytes_ += buf.capacity - old;
  return true;
}

void Reassembler::park(Buffer& buf) {
  if (buf.capacity > 0)
    spare_.push_back(std::move(buf));  // reserved for every slot's buffers: no allocation
  buf = {};
}

Reassembler::Place Reassembler::locate(Slot& sl, const Block& b, uint32_t block, uint32_t i) {
  const size_t s = config_.shard_bytes;
  if (b.tail)
    return {sl.tail.bytes + size_t{i} * s, &sl.have_tail[i]};
  if (i < b.k) {
    const size_t at = size_t{block} * sl.k0 + i;
    return {sl.data.bytes + at * s, &sl.have_data[at]};
  }
  const size_t at = size_t{block} * sl.m0 + (i - b.k);
  return {sl.parity.bytes + at * s, &sl.have_parity[at]};
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
        if (b.used && b.k == h.k && b.m == h.m && b.gf16 == h.gf16()) {
          const Place at = locate(sl, b, h.block_index, h.shard_index);
          if (!*at.have)
            dest = at.shard;
        }
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
    if (const Verdict v = open_block(sl, b, h); v != Verdict::kAccepted)
      return v;
  } else if (b.k != h.k || b.m != h.m || b.gf16 != h.gf16()) {
    return malformed();
  }
  if (b.done) {
    ++stats_.packets_surplus;
    return Verdict::kSurplus;
  }
  const Place at = locate(sl, b, bi, h.shard_index);
  if (*at.have) {
    ++stats_.duplicates;
    return Verdict::kDuplicate;
  }
  if (plaintext != at.shard)
    std::memcpy(at.shard, plaintext, s);
  *at.have = 1;
  ++b.have;
  if (h.shard_index < b.k)
    ++b.have_data;
  if (h.last_block())
    sl.blocks_total = static_cast<int32_t>(bi) + 1;
  ++stats_.packets_accepted;
  if (b.have >= b.k)
    complete_block(sl, b, bi);
  if (sl.blocks_total >= 0 && sl.blocks_done == static_cast<uint32_t>(sl.blocks_total))
    finish_frame(sl, now_us);
  return Verdict::kAccepted;
}

Reassembler::Verdict Reassembler::open_block(Slot& sl, Block& b, const VideoHeader& h) {
  const size_t s = config_.shard_bytes;
  const uint32_t bi = h.block_index;
  if (!h.last_block()) {
    // Every block but the last has one shape; the first such block fixes it.
    if (sl.k0 == 0) {
      sl.k0 = h.k;
      sl.m0 = h.m;
      sl.gf16_0 = h.gf16();
    } else if (h.k != sl.k0 || h.m != sl.m0 || h.gf16() != sl.gf16_0) {
      ++stats_.malformed;
      return Verdict::kMalformed;
    }
  }
  const auto over_budget = [&] {
    ++stats_.over_budget;
    return Verdict::kOverBudget;
  };
  if (sl.data_shards + h.k > max_frame_data_shards_)
    return over_budget();
  b.tail = h.last_block() && bi > 0 && sl.k0 == 0;
  const size_t n = size_t{h.k} + h.m;
  if (b.tail) {
    if (!reserve(sl.tail, n * s, false))
      return over_budget();
    sl.have_tail.assign(n, 0);
  } else {
    const size_t data_end = size_t{bi} * sl.k0 + h.k;
    const size_t parity_end = size_t{bi} * sl.m0 + h.m;
    if (data_end > max_frame_data_shards_)
      return over_budget();
    // A new frame's buffers are sized like the last complete frame's, so a
    // frame of many blocks does not grow block by block.
    const bool fresh = sl.data_shards == 0;
    const auto sized = [&](Buffer& buf, size_t need, size_t hint) {
      return (fresh && hint > need && reserve(buf, hint, false)) || reserve(buf, need, !fresh);
    };
    if (!sized(sl.data, data_end * s, data_hint_) ||
        !sized(sl.parity, parity_end * s, parity_hint_))
      return over_budget();
    sl.data_end = std::max(sl.data_end, data_end);
    sl.parity_end = std::max(sl.parity_end, parity_end);
    // Until a frame completes, the largest seen so far is the hint.
    data_hint_ = std::max(data_hint_, data_end * s);
    parity_hint_ = std::max(parity_hint_, parity_end * s);
    if (sl.have_data.size() < data_end)
      sl.have_data.resize(data_end);
    if (sl.have_parity.size() < parity_end)
      sl.have_parity.resize(parity_end);
  }
  b.used = true;
  b.k = h.k;
  b.m = h.m;
  b.gf16 = h.gf16();
  sl.data_shards += h.k;
  sl.max_block = std::max(sl.max_block, bi);
  return Verdict::kAccepted;
}

void Reassembler::complete_block(Slot& sl, Block& b, uint32_t block) {
  b.done = true;
  ++sl.blocks_done;
  if (b.have_data == b.k)
    return;
  const size_t n = size_t{b.k} + b.m;
  ptrs_.resize(n);
  present_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const Place at = locate(sl, b, block, static_cast<uint32_t>(i));
    ptrs_[i] = at.shard;
    present_[i] = *at.have;
  }
  const size_t s = config_.shard_bytes;
  const Status st = b.gf16 ? gf16_.decode(b.k, b.m, s, ptrs_.data(), present_)
                           : gf8_.decode(b.k, b.m, s, ptrs_.data(), present_);
  if (!st.is_ok()) {
    sl.corrupt = true;  // a shape the codec refuses: the sender is broken
    return;
  }
  const uint32_t rebuilt = b.k - b.have_data;
  sl.recovered += rebuilt;
  stats_.shards_recovered += rebuilt;
  ++stats_.blocks_recovered;
}

// A last block kept aside joins the frame's data once k0 is known.
bool Reassembler::place_tail(Slot& sl) {
  const uint32_t bi = static_cast<uint32_t>(sl.blocks.size() - 1);
  const Block& b = sl.blocks[bi];
  if (!b.tail)
    return true;
  if (sl.k0 == 0)
    return false;
  const size_t s = config_.shard_bytes;
  const size_t at = size_t{bi} * sl.k0;
  if (at + b.k > max_frame_data_shards_ || !reserve(sl.data, (at + b.k) * s, true)) {
    ++stats_.over_budget;
    return false;
  }
  std::memcpy(sl.data.bytes + at * s, sl.tail.bytes, size_t{b.k} * s);
  return true;
}

void Reassembler::finish_frame(Slot& sl, uint64_t now_us) {
  const size_t s = config_.shard_bytes;
  sl.state = Slot::State::kComplete;
  sl.done_us = now_us;
  // Every block index below blocks_total must have been seen: blocks_done
  // counts distinct blocks, so equality means none is missing.
  if (sl.corrupt || sl.blocks.size() != static_cast<size_t>(sl.blocks_total) || !place_tail(sl)) {
    sl.corrupt = true;
    return;
  }
  const uint8_t* first = sl.data.bytes;
  const uint32_t len = uint32_t{first[0]} | uint32_t{first[1]} << 8 | uint32_t{first[2]} << 16 |
                       uint32_t{first[3]} << 24;
  if (len > config_.max_frame_bytes || data_shards_for(len, s) != sl.data_shards) {
    sl.corrupt = true;
    return;
  }
  sl.data_len = len;
  data_hint_ = sl.data_end * s;
  parity_hint_ = sl.parity_end * s;
}

void Reassembler::reset(Slot& sl) {
  std::fill(sl.have_data.begin(), sl.have_data.end(), 0);
  std::fill(sl.have_parity.begin(), sl.have_parity.end(), 0);
  park(sl.data);
  park(sl.parity);
  park(sl.tail);
  sl.blocks.clear();
  sl.state = Slot::State::kEmpty;
  sl.keyframe = sl.recovery = sl.corrupt = false;
  sl.capture_us = sl.first_us = sl.deadline_us = sl.done_us = 0;
  sl.blocks_total = -1;
  sl.blocks_done = sl.max_block = 0;
  sl.k0 = sl.m0 = 0;
  sl.gf16_0 = false;
  sl.data_shards = sl.recovered = 0;
  sl.data_end = sl.parity_end = 0;
  sl.data_len = 0;
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
    std::swap(current_, sl.data);
    ev.data = std::span<const uint8_t>(current_.bytes + 4, sl.data_len);
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
