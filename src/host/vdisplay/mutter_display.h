// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "base/status.h"
#include "host/vdisplay/virtual_display.h"

namespace pf::host {

// A virtual monitor of a running GNOME Mutter (the user's GNOME session, or
// `mutter --headless`), created through Mutter's ScreenCast D-Bus API on the
// session bus: CreateSession, RecordVirtual (cursor embedded, part of the
// platform), Start, then the PipeWire node from PipeWireStreamAdded. The
// monitor exists while this object does and takes the size its PipeWire
// consumer asks for, so capture (PwVideoCapture) decides the mode. The
// address is "pipewire:<node id>".
// Thread model: owned by one session; not thread-safe.
class MutterDisplay : public VirtualDisplay {
 public:
  // Whether org.gnome.Mutter.ScreenCast answers on the session bus.
  static ProbeVerdict probe();
  static Result<std::unique_ptr<MutterDisplay>> create(
      const DisplayMode& mode,
      std::chrono::milliseconds timeout = std::chrono::seconds(5));
  ~MutterDisplay() override;

  std::string backend() const override { return "mutter"; }
  std::string address() const override;
  DisplayMode mode() const override { return mode_; }
  // A new virtual monitor (and PipeWire node: the address changes).
  Status resize(const DisplayMode& mode) override;
  uint32_t node_id() const;

 private:
  struct Session;
  MutterDisplay() = default;
  std::unique_ptr<Session> session_;
  DisplayMode mode_;
};

// "pipewire:42" -> 42; nullopt for any other address.
std::optional<uint32_t> pipewire_node_of(const std::string& address);

}  // namespace pf::host
