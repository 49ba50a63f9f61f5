// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "base/status.h"
#include "host/vdisplay/virtual_display.h"

namespace pf::host {

// A screen cast through the XDG desktop portal (org.freedesktop.portal.
// ScreenCast on the session bus), the way to a desktop whose compositor has
// no API of its own for us, or when the user should pick what is shared:
// CreateSession, SelectSources (one monitor, cursor drawn in when the portal
// can, persistent permission asked for), Start (the portal may show its
// dialog: Start waits up to `start_timeout` for the user), then
// OpenPipeWireRemote: a PipeWire connection that sees only the shared stream.
// Capture it with PwVideoCapture::open(node(), width(), height(), fps, ...,
// take_remote()). The session ends with this object (Session.Close).
// Thread model: one thread.
class PortalScreenCast {
 public:
  struct Options {
    // From an earlier session's restore_token(): the portal shares the
    // same monitor again without asking (where it supports that).
    std::string restore_token;
    std::chrono::milliseconds start_timeout{std::chrono::seconds(120)};
    std::chrono::milliseconds timeout{std::chrono::seconds(5)};  // every other step
  };
  // Whether an xdg-desktop-portal with ScreenCast answers on the session bus.
  static ProbeVerdict probe();
  static Result<std::unique_ptr<PortalScreenCast>> start(const Options& options);
  ~PortalScreenCast();

  uint32_t node() const;
  // The stream's size as the portal announced it (0 when it did not).
  int width() const;
  int height() const;
  // The token to pass next time (empty when the portal gave none).
  const std::string& restore_token() const;
  // The PipeWire connection for the stream (once; -1 after): the caller owns it.
  int take_remote();

 private:
  struct Impl;
  explicit PortalScreenCast(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace pf::host
