// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "base/status.h"

// Makes a sink the user's default output while it lives, then puts the
// previous default back: the "default" metadata's
// default.configured.audio.sink key, which WirePlumber follows (what
// `pactl set-default-sink` sets), written with PipeWire's own pw-metadata
// tool. Thread model: create and destroy on one thread.
namespace pf::host {

class DefaultSinkGuard {
 public:
  static Result<std::unique_ptr<DefaultSinkGuard>> make_default(const std::string& sink_name);
  ~DefaultSinkGuard();

  // The configured default sink's node name, if any.
  static std::optional<std::string> configured_default();

 private:
  DefaultSinkGuard() = default;
  std::optional<std::string> previous_;  // the configured default before
};

}  // namespace pf::host
