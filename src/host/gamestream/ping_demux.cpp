// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/gamestream/ping_demux.h"

#include "base/log.h"

namespace pf::host::gamestream {

PingDemux::PingDemux(net::UdpSocket& socket, std::string name)
    : socket_(socket), name_(std::move(name)) {
  thread_ = std::thread([this] { loop(); });
}

PingDemux::~PingDemux() {
  stop_ = true;
  thread_.join();
}

void PingDemux::watch(const std::string& payload) {
  std::lock_guard lock(mu_);
  peers_[payload] = Peer{};
}

void PingDemux::forget(const std::string& payload) {
  std::lock_guard lock(mu_);
  peers_.erase(payload);
}

net::Address PingDemux::endpoint(const std::string& payload) const {
  std::lock_guard lock(mu_);
  auto it = peers_.find(payload);
  return it == peers_.end() ? net::Address{} : it->second.endpoint;
}

uint64_t PingDemux::pings(const std::string& payload) const {
  std::lock_guard lock(mu_);
  auto it = peers_.find(payload);
  return it == peers_.end() ? 0 : it->second.pings;
}

uint64_t PingDemux::unmatched() const {
  std::lock_guard lock(mu_);
  return unmatched_;
}

net::Address PingDemux::wait(const std::string& payload,
                             std::chrono::steady_clock::time_point deadline,
                             const std::atomic<bool>& stop) const {
  std::unique_lock lock(mu_);
  for (;;) {
    auto it = peers_.find(payload);
    if (it != peers_.end() && it->second.endpoint.valid())
      return it->second.endpoint;
    const auto now = std::chrono::steady_clock::now();
    if (stop || now >= deadline)
      return {};
    cv_.wait_until(lock, std::min(deadline, now + std::chrono::milliseconds(100)));
  }
}

void PingDemux::loop() {
  net::RecvBatch batch(16);
  while (!stop_) {
    if (!socket_.receive(batch, 100).is_ok())
      continue;
    bool learned = false;
    std::lock_guard lock(mu_);
    for (size_t i = 0; i < batch.size(); ++i) {
      const auto p = batch[i];
      auto it =
          p.size() >= kPingBytes
              ? peers_.find(std::string(reinterpret_cast<const char*>(p.data()), kPayloadBytes))
              : peers_.end();
      if (it == peers_.end()) {
        ++unmatched_;
        continue;
      }
      const net::Address from = batch.source(i);
      if (!(it->second.endpoint == from)) {
        log_info("{}: client endpoint {}", name_, from.to_string());
        it->second.endpoint = from;
        learned = true;
      }
      ++it->second.pings;
    }
    if (learned)
      cv_.notify_all();
  }
}

}  // namespace pf::host::gamestream
