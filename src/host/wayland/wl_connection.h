// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

struct wl_display;
struct wl_registry;
struct wl_interface;
struct wl_output;

namespace pf::host::wayland {

// A client connection to a Wayland compositor (sway and other wlroots
// compositors here) with its globals listed and the outputs named (through
// xdg-output, which wlroots has offered for years), and dispatching with a
// deadline so a compositor that stops answering is an error, not a hang.
// Thread model: one thread at a time (libwayland's default queue).
class Connection {
 public:
  // `socket`: a name in $XDG_RUNTIME_DIR or an absolute path; empty means
  // $WAYLAND_DISPLAY (unset: an error, not libwayland's wayland-0). Waits up
  // to `timeout` for the globals and output names.
  static Result<std::unique_ptr<Connection>> connect(const std::string& socket,
                                                     std::chrono::milliseconds timeout);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  wl_display* display() const { return display_; }
  // Binds global `interface` at min(its version, `max_version`); nullptr
  // when the compositor does not offer it.
  void* bind(const wl_interface* interface, uint32_t max_version);
  // The version of global `interface` the compositor offers; 0 = none.
  uint32_t global_version(const std::string& interface) const;
  // The output named `name` ("HEADLESS-2"), nullptr when there is none.
  wl_output* output(const std::string& name) const;
  std::vector<std::string> output_names() const;
  // An output's place in the compositor's layout (logical pixels).
  struct Geometry {
    int x = 0, y = 0, width = 0, height = 0;
  };
  std::optional<Geometry> output_geometry(const std::string& name) const;
  struct Output;  // one wl_output with its xdg-output (internal)

  // Dispatches events until `done()` or the deadline; kTimeout, or
  // kUnavailable when the connection broke (with the protocol error).
  Status dispatch_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);
  // A round trip (wl_display.sync): everything sent before it was handled.
  Status roundtrip(std::chrono::milliseconds timeout);
  // Reads and dispatches the events already waiting, without blocking.
  Status poll_events();
  // Sends queued requests; an error once the connection is gone.
  Status flush();

 private:
  struct Global {
    uint32_t name;
    std::string interface;
    uint32_t version;
  };
  Connection() = default;
  Status broken(const char* when) const;
  static void on_global(void*, wl_registry*, uint32_t, const char*, uint32_t);
  static void on_global_remove(void*, wl_registry*, uint32_t);

  wl_display* display_ = nullptr;
  wl_registry* registry_ = nullptr;
  void* xdg_output_manager_ = nullptr;
  std::vector<Global> globals_;
  std::vector<std::unique_ptr<Output>> outputs_;
};

}  // namespace pf::host::wayland
