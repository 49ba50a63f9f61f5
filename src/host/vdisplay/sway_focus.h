// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "host/vdisplay/sway_ipc.h"

namespace pf::host {

// Keyboard focus for one session's output of a sway that several sessions
// share. Sway has one seat, and its keyboard focus is on one output at a
// time: a session's keys would reach whichever window last had it. Before
// each key, take() asks sway which output holds the focus and, when it is not
// this one, focuses it (`focus output <name>`: the output's workspace and the
// window last focused there) — then holds one host-wide lock until the key is
// sent, so the sessions' keys take turns. A sway that does not answer costs
// the focus, never the key.
// Thread model: one instance per injector, used on its thread; the lock it
// returns is shared by every instance in the process.
class SwayFocus {
 public:
  explicit SwayFocus(std::string output,
                     std::chrono::milliseconds timeout = std::chrono::milliseconds(500))
      : output_(std::move(output)), timeout_(timeout) {}

  std::unique_lock<std::mutex> take();

  // How often this session had to take the focus back, and how often sway
  // could not be asked.
  uint64_t switches() const { return switches_; }
  uint64_t failures() const { return failures_; }

 private:
  Status ensure_focus();

  std::string output_;
  std::chrono::milliseconds timeout_;
  std::unique_ptr<SwayIpc> ipc_;
  uint64_t switches_ = 0, failures_ = 0;
};

}  // namespace pf::host
