// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/audio/mic_service.h"

#include "base/log.h"

namespace pf::host {

namespace {
constexpr int64_t kRetryNs = 500'000'000;
}

MicService::MicService(Factory factory, const Clock& clock)
    : factory_(std::move(factory)), clock_(clock) {}

bool MicService::open_source_locked(int64_t now) {
  if (source_ && !source_->connected()) {
    log_warn("mic: PipeWire went away; reopening '{}' when it is back", MicSource::kNodeName);
    source_.reset();
    next_attempt_ns_ = now;
  }
  if (source_)
    return true;
  if (now < next_attempt_ns_)
    return false;
  next_attempt_ns_ = now + kRetryNs;
  auto s = factory_();
  if (!s) {
    if (stats_.failed_opens++ == 0)
      log_warn("mic: {}", s.error().message());
    return false;
  }
  source_ = std::move(*s);
  ++stats_.opens;
  stats_.speaker = 0;  // a new source: whoever sends next speaks
  log_info("mic: the client's microphone is the PipeWire source '{}'", MicSource::kNodeName);
  return true;
}

void MicService::log_drops_locked(int64_t now) {
  const uint64_t drops = stats_.late + stats_.not_speaker;
  if (drops == logged_drops_ || now < next_log_ns_)
    return;
  log_info("mic: {} packets dropped ({} late, {} from a client that does not hold the mic)",
           drops - logged_drops_, stats_.late, stats_.not_speaker);
  logged_drops_ = drops;
  next_log_ns_ = now + 5'000'000'000;
}

void MicService::push(uint32_t sender,
                      uint32_t seq,
                      std::span<const uint8_t> opus,
                      int64_t capture_host_ns) {
  std::lock_guard lock(mu_);
  const int64_t now = clock_.now_ns();
  ++stats_.packets;
  MicSenderStats& from = senders_[sender];
  ++from.packets;
  if (!open_source_locked(now)) {
    ++stats_.dropped_no_source;
    return;
  }
  if (stats_.speaker != sender) {
    if (stats_.speaker != 0 && now - speaker_last_ns_ < kHandoverNs) {
      ++from.not_speaker;  // one speaker at a time: the holder still sends
      ++stats_.not_speaker;
      return log_drops_locked(now);
    }
    if (stats_.speaker != 0)
      ++stats_.handovers;
    stats_.speaker = sender;
    source_->new_sender();  // its sequence numbers are its own
  }
  speaker_last_ns_ = now;
  if (source_->push(seq, opus, capture_host_ns)) {
    ++from.played;
  } else {
    ++from.late;
    ++stats_.late;
    log_drops_locked(now);
  }
}

void MicService::end_sender(uint32_t sender) {
  std::lock_guard lock(mu_);
  senders_.erase(sender);
  if (stats_.speaker == sender)
    stats_.speaker = 0;
}

MicSenderStats MicService::sender_stats(uint32_t sender) const {
  std::lock_guard lock(mu_);
  auto it = senders_.find(sender);
  return it == senders_.end() ? MicSenderStats{} : it->second;
}

MicServiceStats MicService::stats() const {
  std::lock_guard lock(mu_);
  MicServiceStats s = stats_;
  s.open = source_ != nullptr;
  if (source_)
    s.source = source_->stats();
  return s;
}

}  // namespace pf::host
