// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/vdisplay/kwin_display.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include <fmt/format.h>
#include <wayland-client.h>

#include "host/capture/pw_video_capture.h"
#include "host/capture/scaling_source.h"
#include "host/input/kwin_injector.h"
#include "host/vdisplay/compositor_env.h"
#include "host/wayland/wl_connection.h"
#include "zkde-screencast-unstable-v1-client-protocol.h"

namespace pf::host {

namespace {

constexpr uint32_t kPointerEmbedded = 2;  // zkde_screencast_unstable_v1.pointer

std::string socket_name() {
  const char* wl = std::getenv("WAYLAND_DISPLAY");
  return wl && *wl ? wl : "wayland-0";
}

std::atomic<uint32_t> g_outputs{0};

}  // namespace

struct KwinDisplay::Stream {
  std::unique_ptr<wayland::Connection> conn;
  zkde_screencast_unstable_v1* manager = nullptr;
  zkde_screencast_stream_unstable_v1* stream = nullptr;
  bool created = false, closed = false;
  uint32_t node = 0;
  std::string error;
  std::string output_name;

  ~Stream() {
    if (stream)
      zkde_screencast_stream_unstable_v1_close(stream);
    if (manager)
      zkde_screencast_unstable_v1_destroy(manager);
    if (conn)
      (void)conn->flush();
  }

  // A new virtual output of `mode` (`share` empty), or output `share` as it is.
  static Result<std::unique_ptr<Stream>> open(const DisplayMode& mode,
                                              const std::string& share,
                                              std::chrono::milliseconds timeout) {
    static const zkde_screencast_stream_unstable_v1_listener listener = {
        .closed =
            [](void* d, zkde_screencast_stream_unstable_v1*) {
              static_cast<Stream*>(d)->closed = true;
            },
        .created =
            [](void* d, zkde_screencast_stream_unstable_v1*, uint32_t node) {
              static_cast<Stream*>(d)->created = true;
              static_cast<Stream*>(d)->node = node;
            },
        .failed =
            [](void* d, zkde_screencast_stream_unstable_v1*, const char* error) {
              static_cast<Stream*>(d)->error = error && *error ? error : "no reason given";
            },
    };
    if (mode.width <= 0 || mode.height <= 0 || mode.fps <= 0)
      return make_error(StatusCode::kInvalidArgument, "a display mode needs a size and a rate");
    auto conn = wayland::Connection::connect({}, timeout);
    if (!conn)
      return tl::unexpected(conn.error());
    auto s = std::make_unique<Stream>();
    s->conn = std::move(*conn);
    if (s->conn->global_version(zkde_screencast_unstable_v1_interface.name) < 2)
      return make_error(StatusCode::kUnavailable,
                        "KWin's screencast interface is not offered "
                        "to this program (see `punktfunk-host doctor`)");
    s->manager = static_cast<zkde_screencast_unstable_v1*>(
        s->conn->bind(&zkde_screencast_unstable_v1_interface, 3));
    const std::string name =
        share.empty() ? fmt::format("punktfunk-{}-{}", ::getpid(), ++g_outputs) : share;
    if (share.empty()) {
      s->stream = zkde_screencast_unstable_v1_stream_virtual_output(
          s->manager, name.c_str(), mode.width, mode.height, wl_fixed_from_int(1),
          kPointerEmbedded);
    } else {
      wl_output* out = s->conn->output(share);
      if (!out)
        return make_error(StatusCode::kNotFound, fmt::format("KWin has no output '{}'", share));
      s->stream = zkde_screencast_unstable_v1_stream_output(s->manager, out, kPointerEmbedded);
    }
    zkde_screencast_stream_unstable_v1_add_listener(s->stream, &listener, s.get());
    Stream* raw = s.get();
    auto st = s->conn->dispatch_until(
        [raw] { return raw->created || raw->closed || !raw->error.empty(); }, timeout);
    if (!st.is_ok())
      return make_error(st.code(), "KWin virtual output: " + st.message());
    if (!s->created)
      return make_error(
          StatusCode::kUnavailable,
          fmt::format("KWin could not {}: {}",
                      share.empty() ? "make a virtual output" : "stream " + share,
                      s->error.empty() ? std::string("the stream closed") : s->error));
    // The new output's name as KWin lists it: the one containing ours.
    for (int i = 0; i < 20 && s->output_name.empty(); ++i) {
      if (auto r = s->conn->roundtrip(timeout); !r.is_ok())
        return tl::unexpected(r);
      for (const auto& n : s->conn->output_names())
        if (n.find(name) != std::string::npos)
          s->output_name = n;
    }
    if (s->output_name.empty())
      s->output_name = name;  // input then cannot find it; capture still works
    return s;
  }
};

ProbeVerdict KwinDisplay::probe() {
  auto conn = wayland::Connection::connect({}, std::chrono::milliseconds(500));
  if (!conn)
    return {false, conn.error().message()};
  const uint32_t v = (*conn)->global_version(zkde_screencast_unstable_v1_interface.name);
  if (v >= 2)
    return {true, fmt::format("KWin's screencast (version {}) on {}", v, socket_name())};
  if (v == 1)
    return {false, fmt::format("KWin on {} is older than Plasma 5.27 (no virtual outputs)",
                               socket_name())};
  char exe[4096] = {};
  const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  const std::string self = n > 0 ? std::string(exe, static_cast<size_t>(n)) : "punktfunk-host";
  if ((*conn)->global_version("org_kde_plasma_shell") > 0 ||
      (*conn)->global_version("kde_output_device_v2") > 0)
    return {false, fmt::format("KWin on {} does not grant its screencast to {}: it needs a desktop "
                               "file with Exec={} and X-KDE-Wayland-Interfaces={} (the package "
                               "installs one for /usr/bin/punktfunk-host; docs/linux-setup.md)",
                               socket_name(), self, self, kKwinInterfaces)};
  return {false, fmt::format("the compositor on {} is not KWin", socket_name())};
}

Result<std::unique_ptr<KwinDisplay>> KwinDisplay::create(const DisplayMode& mode,
                                                         std::chrono::milliseconds timeout) {
  auto s = Stream::open(mode, {}, timeout);
  if (!s)
    return tl::unexpected(s.error());
  std::unique_ptr<KwinDisplay> d(new KwinDisplay());
  d->stream_ = std::move(*s);
  d->mode_ = mode;
  d->timeout_ = timeout;
  return d;
}

Result<std::unique_ptr<KwinDisplay>> KwinDisplay::share_output(const std::string& name,
                                                               int fps,
                                                               std::chrono::milliseconds timeout) {
  auto s = Stream::open({1, 1, fps}, name, timeout);
  if (!s)
    return tl::unexpected(s.error());
  const auto g = (*s)->conn->output_geometry(name);
  std::unique_ptr<KwinDisplay> d(new KwinDisplay());
  d->mode_ = {g ? g->width : 0, g ? g->height : 0, fps};
  d->stream_ = std::move(*s);
  d->shared_ = true;
  d->timeout_ = timeout;
  return d;
}

KwinDisplay::~KwinDisplay() = default;

std::string KwinDisplay::address() const {
  return fmt::format("pipewire:{}", stream_->node);
}

uint32_t KwinDisplay::node_id() const {
  return stream_->node;
}

const std::string& KwinDisplay::output_name() const {
  return stream_->output_name;
}

Status KwinDisplay::resize(const DisplayMode& mode) {
  if (shared_)
    return Status(StatusCode::kFailedPrecondition,
                  fmt::format("output {} is shared as it is: its mode stays", output_name()));
  auto s = Stream::open(mode, {}, timeout_);
  if (!s)
    return s.error();
  stream_ = std::move(*s);  // the old output goes with its stream
  mode_ = mode;
  return Status::ok();
}

Result<std::unique_ptr<VideoSource>> KwinDisplay::open_capture(int width, int height, int fps) {
  auto cap = PwVideoCapture::open(node_id(), width, height, fps, std::chrono::seconds(5));
  if (!cap)
    return tl::unexpected(cap.error());
  return fit_to_session(std::move(*cap), width, height);
}

Result<std::unique_ptr<InputInjector>> KwinDisplay::open_input() {
  auto in = KwinInjector::open({}, output_name());
  if (!in)
    return tl::unexpected(in.error());
  return std::unique_ptr<InputInjector>(std::move(*in));
}

std::vector<std::string> KwinDisplay::app_environment() const {
  return compositor_app_environment();
}

}  // namespace pf::host
