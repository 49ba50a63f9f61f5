// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>

// Hands the PIN the host user types (CLI prompt, `punktfunk-host pin`, later
// the management API) to the pairing request that waits for it. One pairing
// waits at a time. Thread-safe.
namespace pf::host::gamestream {

class PinBroker {
 public:
  // Called by the pairing request: announces who waits, then blocks until a
  // PIN arrives, cancel() is called, or the timeout passes (nullopt).
  std::optional<std::string> wait(const std::string& device_name,
                                  std::chrono::milliseconds timeout);
  // Delivers a PIN. false if no pairing is waiting.
  bool submit(const std::string& pin);
  // Wakes a waiting pairing with no PIN (the client gave up, or shutdown).
  void cancel();
  // The device currently waiting for a PIN, if any.
  std::optional<std::string> waiting_device() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool waiting_ = false, cancelled_ = false;
  std::string device_;
  std::optional<std::string> pin_;
};

}  // namespace pf::host::gamestream
