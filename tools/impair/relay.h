// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "base/status.h"
#include "net/address.h"
#include "sim/link.h"

// A userspace UDP impairment relay (this machine has no netem): clients send
// to `listen`, the relay forwards to `forward` through a simulated link (loss,
// Gilbert-Elliott bursts, delay, jitter, reordering, duplication), and answers
// come back to the last client through a second link with the same settings.
// One thread; packets are held until their arrival time.
namespace pf::tools {

struct RelayStats {
  uint64_t up_in = 0, up_out = 0, down_in = 0, down_out = 0;
};

class Relay {
 public:
  static Result<std::unique_ptr<Relay>> start(const net::Address& listen,
                                              const net::Address& forward,
                                              const sim::LinkConfig& up,
                                              const sim::LinkConfig& down);
  ~Relay();
  uint16_t port() const { return port_; }
  RelayStats stats() const;

 private:
  struct Impl;
  Relay() = default;
  std::unique_ptr<Impl> impl_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  uint16_t port_ = 0;
};

}  // namespace pf::tools
