// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/wayland/wl_connection.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>
#include <wayland-client.h>

#include "xdg-output-unstable-v1-client-protocol.h"

namespace pf::host::wayland {

struct Connection::Output {
  uint32_t global = 0;
  wl_output* output = nullptr;
  zxdg_output_v1* xdg = nullptr;
  std::string name;
  Geometry geometry;
};

namespace {

using Output = Connection::Output;

void xdg_name(void* data, zxdg_output_v1*, const char* name) {
  static_cast<Output*>(data)->name = name;
}
void xdg_position(void* data, zxdg_output_v1*, int32_t x, int32_t y) {
  static_cast<Output*>(data)->geometry.x = x;
  static_cast<Output*>(data)->geometry.y = y;
}
void xdg_size(void* data, zxdg_output_v1*, int32_t w, int32_t h) {
  static_cast<Output*>(data)->geometry.width = w;
  static_cast<Output*>(data)->geometry.height = h;
}
void xdg_ignore_done(void*, zxdg_output_v1*) {}
void xdg_ignore_desc(void*, zxdg_output_v1*, const char*) {}
const zxdg_output_v1_listener kXdgOutputListener = {
    .logical_position = xdg_position,
    .logical_size = xdg_size,
    .done = xdg_ignore_done,
    .name = xdg_name,
    .description = xdg_ignore_desc,
};

}  // namespace

void Connection::on_global(void* data,
                           wl_registry* registry,
                           uint32_t name,
                           const char* interface,
                           uint32_t version) {
  auto* self = static_cast<Connection*>(data);
  self->globals_.push_back({name, interface, version});
  if (std::strcmp(interface, wl_output_interface.name) == 0) {
    auto o = std::make_unique<Output>();
    o->global = name;
    o->output = static_cast<wl_output*>(
        wl_registry_bind(registry, name, &wl_output_interface, std::min(version, 3u)));
    if (self->xdg_output_manager_) {
      o->xdg = zxdg_output_manager_v1_get_xdg_output(
          static_cast<zxdg_output_manager_v1*>(self->xdg_output_manager_), o->output);
      zxdg_output_v1_add_listener(o->xdg, &kXdgOutputListener, o.get());
    }
    self->outputs_.push_back(std::move(o));
  }
}

void Connection::on_global_remove(void* data, wl_registry*, uint32_t name) {
  auto* self = static_cast<Connection*>(data);
  std::erase_if(self->globals_, [name](const Global& g) { return g.name == name; });
  std::erase_if(self->outputs_, [name](const std::unique_ptr<Output>& o) {
    if (o->global != name)
      return false;
    if (o->xdg)
      zxdg_output_v1_destroy(o->xdg);
    wl_output_destroy(o->output);
    return true;
  });
}

Result<std::unique_ptr<Connection>> Connection::connect(const std::string& socket,
                                                        std::chrono::milliseconds timeout) {
  // libwayland looks for a relative name in $XDG_RUNTIME_DIR (and complains
  // on stderr without one): say it here instead.
  const char* env_socket = std::getenv("WAYLAND_DISPLAY");
  const std::string name = socket.empty() ? (env_socket ? env_socket : "") : socket;
  if (name.empty())
    return make_error(StatusCode::kUnavailable, "WAYLAND_DISPLAY is not set (no Wayland session)");
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  if (name[0] != '/' && (!runtime || !*runtime))
    return make_error(StatusCode::kUnavailable,
                      fmt::format("cannot reach the Wayland compositor '{}': XDG_RUNTIME_DIR is "
                                  "not set",
                                  name));
  std::unique_ptr<Connection> c(new Connection());
  c->display_ = wl_display_connect(name.c_str());
  if (!c->display_)
    return make_error(StatusCode::kUnavailable,
                      fmt::format("cannot connect to the Wayland compositor at '{}': {}", name,
                                  std::strerror(errno)));
  c->registry_ = wl_display_get_registry(c->display_);
  static const wl_registry_listener listener = {&Connection::on_global,
                                                &Connection::on_global_remove};
  wl_registry_add_listener(c->registry_, &listener, c.get());
  if (auto st = c->roundtrip(timeout); !st.is_ok())
    return tl::unexpected(st);
  // Output names come from xdg-output (version 2 added the name).
  c->xdg_output_manager_ = c->bind(&zxdg_output_manager_v1_interface, 3);
  if (!c->xdg_output_manager_)
    return make_error(StatusCode::kUnimplemented,
                      "the compositor offers no xdg-output (needed to find outputs by name)");
  for (auto& o : c->outputs_) {
    o->xdg = zxdg_output_manager_v1_get_xdg_output(
        static_cast<zxdg_output_manager_v1*>(c->xdg_output_manager_), o->output);
    zxdg_output_v1_add_listener(o->xdg, &kXdgOutputListener, o.get());
  }
  if (auto st = c->roundtrip(timeout); !st.is_ok())
    return tl::unexpected(st);
  return c;
}

Connection::~Connection() {
  if (!display_)
    return;
  for (auto& o : outputs_) {
    if (o->xdg)
      zxdg_output_v1_destroy(o->xdg);
    wl_output_destroy(o->output);
  }
  if (xdg_output_manager_)
    zxdg_output_manager_v1_destroy(static_cast<zxdg_output_manager_v1*>(xdg_output_manager_));
  if (registry_)
    wl_registry_destroy(registry_);
  wl_display_flush(display_);
  wl_display_disconnect(display_);
}

void* Connection::bind(const wl_interface* interface, uint32_t max_version) {
  for (const auto& g : globals_)
    if (g.interface == interface->name)
      return wl_registry_bind(registry_, g.name, interface, std::min(g.version, max_version));
  return nullptr;
}

uint32_t Connection::global_version(const std::string& interface) const {
  for (const auto& g : globals_)
    if (g.interface == interface)
      return g.version;
  return 0;
}

std::optional<Connection::Geometry> Connection::output_geometry(const std::string& name) const {
  for (const auto& o : outputs_)
    if (o->name == name)
      return o->geometry;
  return std::nullopt;
}

wl_output* Connection::output(const std::string& name) const {
  for (const auto& o : outputs_)
    if (o->name == name)
      return o->output;
  return nullptr;
}

std::vector<std::string> Connection::output_names() const {
  std::vector<std::string> names;
  for (const auto& o : outputs_)
    names.push_back(o->name);
  return names;
}

Status Connection::broken(const char* when) const {
  const int err = wl_display_get_error(display_);
  if (err == EPROTO) {
    const wl_interface* iface = nullptr;
    uint32_t id = 0;
    const uint32_t code = wl_display_get_protocol_error(display_, &iface, &id);
    return Status(StatusCode::kUnavailable,
                  fmt::format("the compositor ended the connection {}: protocol error {} on {}",
                              when, code, iface ? iface->name : "?"));
  }
  return Status(StatusCode::kUnavailable,
                fmt::format("the Wayland connection broke {}: {}", when, std::strerror(err)));
}

Status Connection::roundtrip(std::chrono::milliseconds timeout) {
  bool done = false;
  static const wl_callback_listener listener = {
      [](void* data, wl_callback*, uint32_t) { *static_cast<bool*>(data) = true; }};
  wl_callback* sync = wl_display_sync(display_);
  wl_callback_add_listener(sync, &listener, &done);
  Status st = dispatch_until([&] { return done; }, timeout);
  wl_callback_destroy(sync);
  return st;
}

Status Connection::poll_events() {
  while (wl_display_prepare_read(display_) != 0)
    if (wl_display_dispatch_pending(display_) < 0)
      return broken("while dispatching");
  pollfd p{wl_display_get_fd(display_), POLLIN, 0};
  if (::poll(&p, 1, 0) > 0) {
    if (wl_display_read_events(display_) < 0)
      return broken("while reading");
  } else {
    wl_display_cancel_read(display_);
  }
  if (wl_display_dispatch_pending(display_) < 0)
    return broken("while dispatching");
  return Status::ok();
}

Status Connection::flush() {
  if (wl_display_flush(display_) < 0 && errno != EAGAIN)
    return broken("while sending");
  return Status::ok();
}

Status Connection::dispatch_until(const std::function<bool()>& done,
                                  std::chrono::milliseconds timeout) {
  using clock = std::chrono::steady_clock;
  const auto deadline = clock::now() + timeout;
  for (;;) {
    if (wl_display_dispatch_pending(display_) < 0)
      return broken("while dispatching");
    if (done())
      return Status::ok();
    while (wl_display_prepare_read(display_) != 0)
      if (wl_display_dispatch_pending(display_) < 0)
        return broken("while dispatching");
    if (wl_display_flush(display_) < 0 && errno != EAGAIN) {
      wl_display_cancel_read(display_);
      return broken("while sending");
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
    if (left <= 0) {
      wl_display_cancel_read(display_);
      return Status(StatusCode::kTimeout, "the compositor did not answer in time");
    }
    pollfd p{wl_display_get_fd(display_), POLLIN, 0};
    const int rc = ::poll(&p, 1, static_cast<int>(left));
    if (rc <= 0) {
      wl_display_cancel_read(display_);
      if (rc < 0 && errno != EINTR)
        return Status(StatusCode::kInternal, std::string("poll: ") + std::strerror(errno));
      continue;
    }
    if (wl_display_read_events(display_) < 0)
      return broken("while reading");
  }
}

}  // namespace pf::host::wayland
