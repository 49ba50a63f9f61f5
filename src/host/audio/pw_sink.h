// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "host/audio/pw_common.h"

struct pw_proxy;
struct pw_properties;

namespace pf::host {

// A PipeWire null sink that lives as long as this object: a session's own
// sink ("punktfunk-<session>"), which its app plays to and its audio streams
// capture the monitor of. Owned by the session, so it outlives its streams:
// while a session lingers its app still plays into its own sink (heard by
// nobody) instead of being moved to the default sink — another session's,
// perhaps. On its own PipeWire connection; the node goes with it.
// Thread model: create and destroy from any one thread.
class PwSink {
 public:
  // kUnavailable when PipeWire is not running.
  static Result<std::unique_ptr<PwSink>> create(const std::string& name, int channels);
  ~PwSink();
  const std::string& name() const { return name_; }

 private:
  PwSink() = default;
  std::string name_;
  std::unique_ptr<PwConnection> pw_;
  pw_proxy* node_ = nullptr;
};

// The properties of a punktfunk null sink of `channels` (2, 6, 8) for
// pw_core_create_object (shared with PwAudioCapture's own sink).
pw_properties* null_sink_properties(const std::string& name, int channels);

}  // namespace pf::host
