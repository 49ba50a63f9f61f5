// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/audio/mic_service.h"

#include "base/log.h"

namespace pf::host {

namespace {
constexpr int64_t kRetryNs = 500'000'000;
}

MicService::MicService(Factory factory, const Clock& clock)
    : factory_(std::move(factory)), clock_(clock) {}

void MicService::push(uint32_t seq, std::span<const uint8_t> opus, int64_t capture_host_ns) {
  std::lock_guard lock(mu_);
  ++stats_.packets;
  if (source_ && !source_->connected()) {
    log_warn("mic: PipeWire went away; reopening '{}' when it is back", MicSource::kNodeName);
    source_.reset();
    next_attempt_ns_ = clock_.now_ns();
  }
  if (!source_) {
    const int64_t now = clock_.now_ns();
    if (now < next_attempt_ns_) {
      ++stats_.dropped_no_source;
      return;
    }
    next_attempt_ns_ = now + kRetryNs;
    auto s = factory_();
    if (!s) {
      if (stats_.failed_opens++ == 0)
        log_warn("mic: {}", s.error().message());
      ++stats_.dropped_no_source;
      return;
    }
    source_ = std::move(*s);
    ++stats_.opens;
    log_info("mic: the client's microphone is the PipeWire source '{}'", MicSource::kNodeName);
  }
  source_->push(seq, opus, capture_host_ns);
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
