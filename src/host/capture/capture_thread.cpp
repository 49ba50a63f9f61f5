// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/capture/capture_thread.h"

#include <algorithm>

#include "base/clock.h"

namespace pf::host {

CaptureThread::CaptureThread(std::unique_ptr<VideoSource> source,
                             int fps,
                             ChromaSampling chroma,
                             size_t slots)
    : source_(std::move(source)), chroma_(chroma), ring_(std::max<size_t>(2, slots)) {
  thread_ = std::thread([this, fps] { run(std::max(1, fps)); });
}

CaptureThread::~CaptureThread() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void CaptureThread::run(int fps) {
  const auto interval = std::chrono::nanoseconds(1'000'000'000 / fps);
  auto next = std::chrono::steady_clock::now();
  uint32_t index = 0;
  while (!stop_) {
    {
      // Sleep until the tick, or until the destructor wakes us.
      std::unique_lock lock(mu_);
      cv_.wait_until(lock, next, [this] { return stop_.load(); });
    }
    if (stop_)
      break;
    next += interval;
    // A thread that fell behind (suspended, overloaded) resumes at the next
    // tick from now rather than capturing a burst of frames to catch up.
    if (const auto now = std::chrono::steady_clock::now(); next < now)
      next = now + interval;
    YuvFrame* slot = ring_.claim();
    if (!slot) {
      std::lock_guard lock(mu_);
      ++stats_.full;
      continue;
    }
    slot->chroma = chroma_;  // the source converts into the session's sampling
    const int64_t t = SteadyClock::instance().now_ns();
    if (auto st = source_->capture(++index, t, *slot); !st.is_ok()) {
      {
        std::lock_guard lock(mu_);
        failure_ = st.message();
      }
      cv_.notify_all();
      return;
    }
    ring_.publish();
    {
      std::lock_guard lock(mu_);
      ++stats_.captured;
    }
    cv_.notify_all();
  }
}

const YuvFrame* CaptureThread::acquire(std::chrono::milliseconds timeout) {
  if (holding_)
    release();
  std::unique_lock lock(mu_);
  if (!cv_.wait_for(lock, timeout, [this] { return ring_.size() > 0 || !failure_.empty(); }))
    return nullptr;
  if (ring_.size() == 0)
    return nullptr;  // failed, nothing left
  while (ring_.size() > 1) {
    ring_.pop();
    ++stats_.skipped;
  }
  holding_ = true;
  return ring_.peek();
}

void CaptureThread::release() {
  if (!holding_)
    return;
  holding_ = false;
  ring_.pop();
}

std::string CaptureThread::failure() const {
  std::lock_guard lock(mu_);
  return failure_;
}

CaptureStats CaptureThread::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace pf::host
