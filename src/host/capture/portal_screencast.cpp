// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/capture/portal_screencast.h"

#include <fcntl.h>
#include <systemd/sd-bus.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <functional>

#include <fmt/format.h>

namespace pf::host {

namespace {

constexpr const char* kPortal = "org.freedesktop.portal.Desktop";
constexpr const char* kPath = "/org/freedesktop/portal/desktop";
constexpr const char* kScreenCast = "org.freedesktop.portal.ScreenCast";
constexpr uint32_t kSourceMonitor = 1, kCursorEmbedded = 2, kPersistUntilRevoked = 2;

std::atomic<uint32_t> g_tokens{0};

std::string bus_message(const sd_bus_error& e, int r) {
  return e.message ? e.message : std::strerror(-r);
}

// What a Request's Response carried.
struct Response {
  bool done = false;
  uint32_t code = 2;
  std::string session_handle, restore_token;
  uint32_t node = 0;
  bool have_node = false;
  int width = 0, height = 0;
};

// Reads the a{sv} of a Response: the keys the screen cast uses, the rest skipped.
int read_results(sd_bus_message* m, Response& out) {
  int r = sd_bus_message_enter_container(m, 'a', "{sv}");
  if (r < 0)
    return r;
  while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
    const char* key = nullptr;
    if ((r = sd_bus_message_read(m, "s", &key)) < 0)
      return r;
    const std::string k = key;
    const char* contents = nullptr;
    if ((r = sd_bus_message_peek_type(m, nullptr, &contents)) < 0)
      return r;
    if ((k == "session_handle" || k == "restore_token") &&
        (std::strcmp(contents, "s") == 0 || std::strcmp(contents, "o") == 0)) {
      const char* v = nullptr;
      if ((r = sd_bus_message_read(m, "v", contents, &v)) < 0)
        return r;
      (k == "session_handle" ? out.session_handle : out.restore_token) = v ? v : "";
    } else if (k == "streams" && std::strcmp(contents, "a(ua{sv})") == 0) {
      // The first stream: its node and size.
      if ((r = sd_bus_message_enter_container(m, 'v', contents)) < 0 ||
          (r = sd_bus_message_enter_container(m, 'a', "(ua{sv})")) < 0)
        return r;
      bool first = true;
      while ((r = sd_bus_message_enter_container(m, 'r', "ua{sv}")) > 0) {
        uint32_t node = 0;
        if ((r = sd_bus_message_read(m, "u", &node)) < 0)
          return r;
        if ((r = sd_bus_message_enter_container(m, 'a', "{sv}")) < 0)
          return r;
        while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
          const char* pk = nullptr;
          if ((r = sd_bus_message_read(m, "s", &pk)) < 0)
            return r;
          if (first && std::strcmp(pk, "size") == 0 &&
              sd_bus_message_enter_container(m, 'v', "(ii)") > 0) {
            int32_t w = 0, h = 0;
            if ((r = sd_bus_message_read(m, "(ii)", &w, &h)) < 0)
              return r;
            out.width = w;
            out.height = h;
            sd_bus_message_exit_container(m);
          } else if ((r = sd_bus_message_skip(m, "v")) < 0) {
            return r;
          }
          sd_bus_message_exit_container(m);
        }
        sd_bus_message_exit_container(m);  // a{sv}
        sd_bus_message_exit_container(m);  // (ua{sv})
        if (first) {
          out.node = node;
          out.have_node = true;
        }
        first = false;
      }
      sd_bus_message_exit_container(m);  // a
      sd_bus_message_exit_container(m);  // v
    } else if ((r = sd_bus_message_skip(m, "v")) < 0) {
      return r;
    }
    sd_bus_message_exit_container(m);  // e
  }
  return r < 0 ? r : sd_bus_message_exit_container(m);
}

}  // namespace

struct PortalScreenCast::Impl {
  sd_bus* bus = nullptr;
  std::string sender;  // our unique name as the portal writes it in paths: "1_42"
  std::string session;
  Response started;
  int remote = -1;

  ~Impl() {
    if (remote >= 0)
      ::close(remote);
    if (bus && !session.empty())
      sd_bus_call_method(bus, kPortal, session.c_str(), "org.freedesktop.portal.Session", "Close",
                         nullptr, nullptr, "");
    if (bus)
      sd_bus_flush_close_unref(bus);
  }

  static int on_response(sd_bus_message* m, void* data, sd_bus_error*) {
    auto* resp = static_cast<Response*>(data);
    if (sd_bus_message_read(m, "u", &resp->code) >= 0)
      (void)read_results(m, *resp);
    resp->done = true;
    return 0;
  }

  // Calls `method` with a{sv} options that `append` fills after the
  // handle_token it adds (the other arguments come first, from `args`), and
  // waits for the Request's Response.
  Result<Response> request(const char* method,
                           const std::function<int(sd_bus_message*)>& args,
                           const std::function<int(sd_bus_message*)>& options,
                           std::chrono::milliseconds timeout) {
    const std::string token = fmt::format("punktfunk{}_{}", ::getpid(), ++g_tokens);
    const std::string path =
        fmt::format("/org/freedesktop/portal/desktop/request/{}/{}", sender, token);
    Response resp;
    sd_bus_slot* slot = nullptr;
    int r = sd_bus_match_signal(bus, &slot, kPortal, path.c_str(), "org.freedesktop.portal.Request",
                                "Response", &Impl::on_response, &resp);
    if (r < 0)
      return make_error(StatusCode::kInternal, "portal: cannot watch for its answer");
    sd_bus_message* m = nullptr;
    sd_bus_message* reply = nullptr;
    sd_bus_error err = SD_BUS_ERROR_NULL;
    r = sd_bus_message_new_method_call(bus, &m, kPortal, kPath, kScreenCast, method);
    if (r >= 0)
      r = args(m);
    if (r >= 0)
      r = sd_bus_message_open_container(m, 'a', "{sv}");
    if (r >= 0)
      r = sd_bus_message_append(m, "{sv}", "handle_token", "s", token.c_str());
    if (r >= 0)
      r = options(m);
    if (r >= 0)
      r = sd_bus_message_close_container(m);
    if (r >= 0)
      r = sd_bus_call(bus, m, 0, &err, &reply);
    sd_bus_message_unref(m);
    sd_bus_message_unref(reply);
    if (r < 0) {
      Status st(StatusCode::kUnavailable,
                fmt::format("portal: {} failed: {}", method, bus_message(err, r)));
      sd_bus_error_free(&err);
      sd_bus_slot_unref(slot);
      return tl::unexpected(st);
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!resp.done) {
      const auto left = std::chrono::duration_cast<std::chrono::microseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0)
        break;
      r = sd_bus_process(bus, nullptr);
      if (r < 0)
        break;
      if (r == 0)
        sd_bus_wait(bus, static_cast<uint64_t>(left.count()));
    }
    sd_bus_slot_unref(slot);
    if (!resp.done)
      return make_error(
          StatusCode::kTimeout,
          fmt::format("portal: no answer to {} within {} ms{}", method, timeout.count(),
                      std::strcmp(method, "Start") == 0
                          ? " (did anyone answer the portal's dialog?)"
                          : ""));
    if (resp.code != 0)
      return make_error(resp.code == 1 ? StatusCode::kCancelled : StatusCode::kUnavailable,
                        fmt::format("portal: {} {}", method,
                                    resp.code == 1 ? "was cancelled by the user"
                                                   : "failed (the portal said no)"));
    return resp;
  }
};

ProbeVerdict PortalScreenCast::probe() {
  sd_bus* bus = nullptr;
  if (int r = sd_bus_open_user(&bus); r < 0)
    return {false, fmt::format("no D-Bus session bus ({})", std::strerror(-r))};
  uint32_t version = 0;
  sd_bus_error err = SD_BUS_ERROR_NULL;
  const int r =
      sd_bus_get_property_trivial(bus, kPortal, kPath, kScreenCast, "version", &err, 'u', &version);
  ProbeVerdict v;
  if (r < 0)
    v = {false, fmt::format("no xdg-desktop-portal with ScreenCast on the session bus ({})",
                            bus_message(err, r))};
  else
    v = {true, fmt::format("xdg-desktop-portal ScreenCast version {}", version)};
  sd_bus_error_free(&err);
  sd_bus_flush_close_unref(bus);
  return v;
}

Result<std::unique_ptr<PortalScreenCast>> PortalScreenCast::start(const Options& o) {
  auto d = std::make_unique<Impl>();
  if (int r = sd_bus_open_user(&d->bus); r < 0)
    return make_error(StatusCode::kUnavailable,
                      fmt::format("no D-Bus session bus ({})", std::strerror(-r)));
  const char* unique = nullptr;
  if (sd_bus_get_unique_name(d->bus, &unique) < 0 || !unique || unique[0] != ':')
    return make_error(StatusCode::kUnavailable, "portal: no name on the session bus");
  d->sender = unique + 1;
  for (char& c : d->sender)
    if (c == '.')
      c = '_';
  uint32_t version = 0, cursor_modes = 0;
  sd_bus_get_property_trivial(d->bus, kPortal, kPath, kScreenCast, "version", nullptr, 'u',
                              &version);
  sd_bus_get_property_trivial(d->bus, kPortal, kPath, kScreenCast, "AvailableCursorModes", nullptr,
                              'u', &cursor_modes);
  if (version == 0)
    return make_error(StatusCode::kUnavailable,
                      "no xdg-desktop-portal with ScreenCast on the session bus");

  const std::string session_token = fmt::format("punktfunk{}_{}", ::getpid(), ++g_tokens);
  auto created = d->request(
      "CreateSession", [](sd_bus_message*) { return 0; },
      [&](sd_bus_message* m) {
        return sd_bus_message_append(m, "{sv}", "session_handle_token", "s", session_token.c_str());
      },
      o.timeout);
  if (!created)
    return tl::unexpected(created.error());
  if (created->session_handle.empty())
    return make_error(StatusCode::kUnavailable, "portal: CreateSession gave no session");
  d->session = created->session_handle;
  const bool cursor = (cursor_modes & kCursorEmbedded) != 0;
  const bool persist = version >= 4;
  const bool restore = persist && !o.restore_token.empty();
  auto selected = d->request(
      "SelectSources",
      [&](sd_bus_message* m) { return sd_bus_message_append(m, "o", d->session.c_str()); },
      [&](sd_bus_message* m) {
        int r = sd_bus_message_append(m, "{sv}", "types", "u", kSourceMonitor);
        if (r >= 0)
          r = sd_bus_message_append(m, "{sv}", "multiple", "b", 0);
        if (r >= 0 && cursor)
          r = sd_bus_message_append(m, "{sv}", "cursor_mode", "u", kCursorEmbedded);
        if (r >= 0 && persist)
          r = sd_bus_message_append(m, "{sv}", "persist_mode", "u", kPersistUntilRevoked);
        if (r >= 0 && restore)
          r = sd_bus_message_append(m, "{sv}", "restore_token", "s", o.restore_token.c_str());
        return r;
      },
      o.timeout);
  if (!selected)
    return tl::unexpected(selected.error());
  auto started = d->request(
      "Start",
      [&](sd_bus_message* m) { return sd_bus_message_append(m, "os", d->session.c_str(), ""); },
      [](sd_bus_message*) { return 0; }, o.start_timeout);
  if (!started)
    return tl::unexpected(started.error());
  if (!started->have_node)
    return make_error(StatusCode::kUnavailable, "portal: Start shared no stream");
  d->started = *started;

  sd_bus_message* reply = nullptr;
  sd_bus_error err = SD_BUS_ERROR_NULL;
  int r = sd_bus_call_method(d->bus, kPortal, kPath, kScreenCast, "OpenPipeWireRemote", &err,
                             &reply, "oa{sv}", d->session.c_str(), 0);
  int fd = -1;
  if (r >= 0)
    r = sd_bus_message_read(reply, "h", &fd);
  if (r >= 0 && fd >= 0)
    d->remote = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);  // the message owns `fd`
  sd_bus_message_unref(reply);
  if (r < 0 || d->remote < 0) {
    Status st(StatusCode::kUnavailable,
              fmt::format("portal: OpenPipeWireRemote failed: {}", bus_message(err, r)));
    sd_bus_error_free(&err);
    return tl::unexpected(st);
  }
  return std::unique_ptr<PortalScreenCast>(new PortalScreenCast(std::move(d)));
}

PortalScreenCast::PortalScreenCast(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PortalScreenCast::~PortalScreenCast() = default;

uint32_t PortalScreenCast::node() const {
  return impl_->started.node;
}
int PortalScreenCast::width() const {
  return impl_->started.width;
}
int PortalScreenCast::height() const {
  return impl_->started.height;
}
const std::string& PortalScreenCast::restore_token() const {
  return impl_->started.restore_token;
}
int PortalScreenCast::take_remote() {
  const int fd = impl_->remote;
  impl_->remote = -1;
  return fd;
}

}  // namespace pf::host
