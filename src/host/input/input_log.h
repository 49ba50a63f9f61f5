// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <mutex>

#include "proto/native/datagrams.h"

// Debug lines for input as it arrives, so a user can see whether their keys
// reach the host (--log-level debug): at most one line per input kind and
// session per second, saying how many events of that kind came since the
// last line. Nothing is formatted unless debug logging is on. Thread-safe.
namespace pf::host {

class InputLog {
 public:
  // `session`: a name for where it came from (e.g. the session id).
  void note(const proto::native::InputDatagram& e, uint32_t session, int64_t now_ns);
  static const char* kind_name(uint8_t kind);

 private:
  struct Kind {
    int64_t last_ns = 0;
    uint64_t since = 0;
  };
  std::mutex mu_;
  uint32_t session_ = 0;  // the last session seen: a new one starts the counts afresh
  std::array<Kind, 17> kinds_{};
};

}  // namespace pf::host
