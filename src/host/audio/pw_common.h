// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <memory>
#include <string>

#include "base/status.h"

struct pw_thread_loop;
struct pw_context;
struct pw_core;
struct spa_pod;
struct spa_pod_builder;

// What the PipeWire users in this folder share: one connection on its own
// thread loop, and the 48 kHz float format they all speak.
namespace pf::host {

class PwConnection {
 public:
  // kUnavailable with `what` in the message when PipeWire is not running.
  // `remote_fd` >= 0: a connection someone else opened for us (a portal's
  // OpenPipeWireRemote, which sees only what the portal granted); it is
  // taken over (closed with the connection).
  static Result<std::unique_ptr<PwConnection>> connect(const char* thread_name,
                                                       const std::string& what,
                                                       int remote_fd = -1);
  ~PwConnection();

  pw_thread_loop* loop() const { return loop_; }
  pw_core* core() const { return core_; }
  // Streams and proxies on this connection are destroyed between stop() and
  // the destructor.
  Status start();
  void stop();

 private:
  PwConnection() = default;
  pw_thread_loop* loop_ = nullptr;
  pw_context* context_ = nullptr;
  pw_core* core_ = nullptr;
  bool running_ = false;
};

// EnumFormat param for F32 interleaved at 48 kHz: mono, stereo, 5.1 or 7.1.
const spa_pod* build_f32_format(spa_pod_builder* b, int channels);

}  // namespace pf::host
