// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/vdisplay/mutter_display.h"
#include "host/capture/pw_video_capture.h"
#include "host/input/mutter_injector.h"
#include "host/vdisplay/compositor_env.h"

#include <systemd/sd-bus.h>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <mutex>

#include <fmt/format.h>

namespace pf::host {
namespace {

constexpr const char* kService = "org.gnome.Mutter.ScreenCast";
constexpr const char* kSessionIface = "org.gnome.Mutter.ScreenCast.Session";
constexpr const char* kRdService = "org.gnome.Mutter.RemoteDesktop";
constexpr const char* kRdSessionIface = "org.gnome.Mutter.RemoteDesktop.Session";

std::string bus_error(const char* what, const sd_bus_error& e, int r) {
  return fmt::format("Mutter ScreenCast: {} failed: {}", what,
                     e.message ? e.message : std::strerror(-r));
}

// The session bus, or the bus at `address` when one is given.
int open_bus(const std::string& address, sd_bus** bus) {
  if (address.empty())
    return sd_bus_open_user(bus);
  int r = sd_bus_new(bus);
  if (r >= 0)
    r = sd_bus_set_address(*bus, address.c_str());
  if (r >= 0)
    r = sd_bus_set_bus_client(*bus, 1);
  if (r >= 0)
    r = sd_bus_start(*bus);
  if (r < 0) {
    sd_bus_unref(*bus);
    *bus = nullptr;
  }
  return r;
}

}  // namespace

// One RemoteDesktop + ScreenCast session on its own bus connection (Mutter
// ends a session when the connection that created it goes away).
struct MutterDisplay::Session {
  std::mutex mu;  // the bus: notify_* may come from another thread
  sd_bus* bus = nullptr;
  sd_bus_slot* added = nullptr;
  std::string rd_path, session_path, stream_path;
  uint32_t node = 0;
  bool have_node = false;
  bool broken = false;

  static int on_stream_added(sd_bus_message* m, void* data, sd_bus_error*) {
    auto* self = static_cast<Session*>(data);
    uint32_t node = 0;
    if (sd_bus_message_read(m, "u", &node) >= 0) {
      self->node = node;
      self->have_node = true;
    }
    return 0;
  }

  // Calls `method` and reads one object path from the reply.
  Status call_for_path(const char* object,
                       const char* iface,
                       const char* method,
                       std::string& out,
                       const std::function<int(sd_bus_message*)>& append) {
    sd_bus_message* m = nullptr;
    sd_bus_message* reply = nullptr;
    sd_bus_error err = SD_BUS_ERROR_NULL;
    const char* service = std::strstr(iface, "RemoteDesktop") ? kRdService : kService;
    int r = sd_bus_message_new_method_call(bus, &m, service, object, iface, method);
    if (r >= 0)
      r = append(m);
    if (r >= 0)
      r = sd_bus_call(bus, m, 0, &err, &reply);
    sd_bus_message_unref(m);
    if (r < 0) {
      Status st(StatusCode::kUnavailable, bus_error(method, err, r));
      sd_bus_error_free(&err);
      return st;
    }
    const char* path = nullptr;
    sd_bus_message_read(reply, "o", &path);
    out = path ? path : "";
    sd_bus_message_unref(reply);
    return Status::ok();
  }

  // A RemoteDesktop session for input; empty id when Mutter offers none.
  std::string open_remote_desktop() {
    if (!call_for_path("/org/gnome/Mutter/RemoteDesktop", kRdService, "CreateSession", rd_path,
                       [](sd_bus_message*) { return 0; })
             .is_ok())
      return {};
    char* id = nullptr;
    sd_bus_error err = SD_BUS_ERROR_NULL;
    const int r = sd_bus_get_property_string(bus, kRdService, rd_path.c_str(), kRdSessionIface,
                                             "SessionId", &err, &id);
    sd_bus_error_free(&err);
    std::string out = r >= 0 && id ? id : "";
    std::free(id);
    if (out.empty())
      rd_path.clear();
    return out;
  }

  Status open(const std::string& bus_address, std::chrono::milliseconds timeout) {
    int r = open_bus(bus_address, &bus);
    if (r < 0)
      return Status(
          StatusCode::kUnavailable,
          fmt::format("no D-Bus {} ({})", bus_address.empty() ? "session bus" : bus_address,
                      std::strerror(-r)));
    const std::string rd_id = open_remote_desktop();
    if (auto st = call_for_path(
            "/org/gnome/Mutter/ScreenCast", kService, "CreateSession", session_path,
            [&](sd_bus_message* m) {
              return rd_id.empty()
                         ? sd_bus_message_append(m, "a{sv}", 0)
                         : sd_bus_message_append(m, "a{sv}", 1, "remote-desktop-session-id", "s",
                                                 rd_id.c_str());
            });
        !st.is_ok())
      return st;
    // Cursor mode 1: drawn into the frames. is-platform: a monitor like any
    // other, not a "your screen is being shared" cast.
    if (auto st = call_for_path(session_path.c_str(), kSessionIface, "RecordVirtual", stream_path,
                                [](sd_bus_message* m) {
                                  return sd_bus_message_append(m, "a{sv}", 2, "cursor-mode", "u",
                                                               1u, "is-platform", "b", 1);
                                });
        !st.is_ok())
      return st;
    r = sd_bus_match_signal(bus, &added, nullptr, stream_path.c_str(),
                            "org.gnome.Mutter.ScreenCast.Stream", "PipeWireStreamAdded",
                            &Session::on_stream_added, this);
    if (r < 0)
      return Status(StatusCode::kInternal, "Mutter ScreenCast: cannot watch the stream");
    // A screen cast tied to a remote desktop session starts with it.
    sd_bus_error err = SD_BUS_ERROR_NULL;
    r = rd_path.empty() ? sd_bus_call_method(bus, kService, session_path.c_str(), kSessionIface,
                                             "Start", &err, nullptr, "")
                        : sd_bus_call_method(bus, kRdService, rd_path.c_str(), kRdSessionIface,
                                             "Start", &err, nullptr, "");
    if (r < 0) {
      Status st(StatusCode::kUnavailable, bus_error("Start", err, r));
      sd_bus_error_free(&err);
      return st;
    }
    // Mutter makes a session's virtual keyboard at its first key event, and
    // the focused client learns of the keyboard only after that event: a
    // client's first keys were lost (mutter 43: the first three of a burst
    // never reached the window). A press of KEY_RESERVED (0, no symbol)
    // makes the keyboard now.
    notify("NotifyKeyboardKeycode", "ub", 0u, 1);
    notify("NotifyKeyboardKeycode", "ub", 0u, 0);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!have_node) {
      const auto now = std::chrono::steady_clock::now();
      if (now >= deadline)
        return Status(StatusCode::kTimeout,
                      "Mutter ScreenCast: no PipeWire stream for the virtual monitor");
      r = sd_bus_process(bus, nullptr);
      if (r < 0)
        return Status(StatusCode::kUnavailable, "Mutter ScreenCast: the bus connection broke");
      if (r == 0)
        sd_bus_wait(
            bus,
            static_cast<uint64_t>(
                std::chrono::duration_cast<std::chrono::microseconds>(deadline - now).count()));
    }
    return Status::ok();
  }

  // Sends an input method call without waiting for (or asking for) a reply.
  template <typename... Args>
  bool notify(const char* method, const char* signature, Args... args) {
    std::lock_guard lock(mu);
    if (rd_path.empty() || broken)
      return false;
    sd_bus_message* m = nullptr;
    int r = sd_bus_message_new_method_call(bus, &m, kRdService, rd_path.c_str(), kRdSessionIface,
                                           method);
    if (r >= 0)
      r = sd_bus_message_set_expect_reply(m, 0);
    if (r >= 0)
      r = sd_bus_message_append(m, signature, args...);
    if (r >= 0)
      r = sd_bus_send(bus, m, nullptr);
    sd_bus_message_unref(m);
    if (r >= 0)
      r = sd_bus_flush(bus);
    broken = r < 0;
    return r >= 0;
  }

  ~Session() {
    if (bus && !rd_path.empty())
      sd_bus_call_method(bus, kRdService, rd_path.c_str(), kRdSessionIface, "Stop", nullptr,
                         nullptr, "");
    else if (bus && !session_path.empty())
      sd_bus_call_method(bus, kService, session_path.c_str(), kSessionIface, "Stop", nullptr,
                         nullptr, "");
    sd_bus_slot_unref(added);
    if (bus)
      sd_bus_flush_close_unref(bus);
  }
};

ProbeVerdict MutterDisplay::probe(const std::string& bus_address) {
  sd_bus* bus = nullptr;
  if (open_bus(bus_address, &bus) < 0)
    return {false, bus_address.empty() ? "no D-Bus session bus" : "its D-Bus does not answer"};
  sd_bus_error err = SD_BUS_ERROR_NULL;
  sd_bus_message* reply = nullptr;
  const int r = sd_bus_get_property(bus, kService, "/org/gnome/Mutter/ScreenCast", kService,
                                    "Version", &err, &reply, "i");
  int version = 0;
  if (r >= 0)
    sd_bus_message_read(reply, "i", &version);
  sd_bus_message_unref(reply);
  sd_bus_error_free(&err);
  sd_bus_flush_close_unref(bus);
  if (r < 0)
    return {false, "no Mutter on the session bus (org.gnome.Mutter.ScreenCast)"};
  if (version < 3)
    return {false, fmt::format("Mutter ScreenCast API version {} has no virtual monitors "
                               "as part of the platform (3 or newer needed)",
                               version)};
  return {true, fmt::format("Mutter ScreenCast API version {}", version)};
}

namespace {

Status check_mode(const DisplayMode& mode) {
  if (mode.width < 64 || mode.height < 64 || mode.width > 16384 || mode.height > 16384 ||
      mode.fps <= 0)
    return Status(StatusCode::kInvalidArgument, fmt::format("display mode {}x{}@{} is out of range",
                                                            mode.width, mode.height, mode.fps));
  return Status::ok();
}

}  // namespace

Result<std::unique_ptr<MutterDisplay>> MutterDisplay::create(const DisplayMode& mode,
                                                             std::chrono::milliseconds timeout) {
  if (auto st = check_mode(mode); !st.is_ok())
    return tl::unexpected(st);
  std::unique_ptr<MutterDisplay> d(new MutterDisplay());
  if (auto st = d->open_monitor(mode, timeout); !st.is_ok())
    return tl::unexpected(st);
  return d;
}

Result<std::unique_ptr<MutterDisplay>> MutterDisplay::create_headless(
    const DisplayMode& mode,
    std::chrono::milliseconds timeout) {
  if (auto st = check_mode(mode); !st.is_ok())
    return tl::unexpected(st);
  auto home = MutterHeadless::start(timeout);
  if (!home)
    return tl::unexpected(home.error());
  std::unique_ptr<MutterDisplay> d(new MutterDisplay());
  d->home_ = std::move(*home);
  if (auto st = d->open_monitor(mode, timeout); !st.is_ok())
    return tl::unexpected(st);
  return d;
}

Status MutterDisplay::open_monitor(const DisplayMode& mode, std::chrono::milliseconds timeout) {
  auto session = std::make_unique<Session>();
  if (auto st = session->open(home_ ? home_->bus_address() : std::string(), timeout); !st.is_ok())
    return st;
  session_ = std::move(session);  // the old monitor (if any) goes only now
  mode_ = mode;
  return Status::ok();
}

MutterDisplay::~MutterDisplay() {
  session_.reset();  // the monitor, before its Mutter
}

std::string MutterDisplay::backend() const {
  return home_ ? "mutter-headless" : "mutter";
}

std::string MutterDisplay::address() const {
  // A Mutter of its own: its Wayland socket, where its apps go. The
  // desktop's: the monitor's PipeWire node (its apps go where the
  // desktop's do).
  if (home_)
    return "wayland:" + home_->wayland_display();
  return fmt::format("pipewire:{}", session_->node);
}

uint32_t MutterDisplay::node_id() const {
  return session_->node;
}

Status MutterDisplay::resize(const DisplayMode& mode) {
  if (auto st = check_mode(mode); !st.is_ok())
    return st;
  return open_monitor(mode, std::chrono::seconds(5));
}

bool MutterDisplay::alive() {
  return !home_ || home_->alive();
}

bool MutterDisplay::has_input() const {
  return !session_->rd_path.empty();
}
bool MutterDisplay::notify_key(uint32_t evdev_code, bool down) {
  return session_->notify("NotifyKeyboardKeycode", "ub", evdev_code, static_cast<int>(down));
}
bool MutterDisplay::notify_keysym(uint32_t keysym, bool down) {
  return session_->notify("NotifyKeyboardKeysym", "ub", keysym, static_cast<int>(down));
}
bool MutterDisplay::notify_button(uint32_t evdev_button, bool down) {
  return session_->notify("NotifyPointerButton", "ib", static_cast<int32_t>(evdev_button),
                          static_cast<int>(down));
}
bool MutterDisplay::notify_motion_absolute(double x, double y) {
  return session_->notify("NotifyPointerMotionAbsolute", "sdd", session_->stream_path.c_str(), x,
                          y);
}
bool MutterDisplay::notify_motion_relative(double dx, double dy) {
  return session_->notify("NotifyPointerMotionRelative", "dd", dx, dy);
}
bool MutterDisplay::notify_scroll_discrete(uint32_t axis, int32_t steps) {
  return session_->notify("NotifyPointerAxisDiscrete", "ui", axis, steps);
}
bool MutterDisplay::notify_touch_down(uint32_t slot, double x, double y) {
  return session_->notify("NotifyTouchDown", "sudd", session_->stream_path.c_str(), slot, x, y);
}
bool MutterDisplay::notify_touch_motion(uint32_t slot, double x, double y) {
  return session_->notify("NotifyTouchMotion", "sudd", session_->stream_path.c_str(), slot, x, y);
}
bool MutterDisplay::notify_touch_up(uint32_t slot) {
  return session_->notify("NotifyTouchUp", "u", slot);
}

std::optional<uint32_t> pipewire_node_of(const std::string& address) {
  constexpr std::string_view prefix = "pipewire:";
  if (address.size() <= prefix.size() || address.compare(0, prefix.size(), prefix) != 0)
    return std::nullopt;
  uint32_t node = 0;
  const char* first = address.data() + prefix.size();
  const char* last = address.data() + address.size();
  auto [end, ec] = std::from_chars(first, last, node);
  if (ec != std::errc() || end != last)
    return std::nullopt;
  return node;
}

Result<std::unique_ptr<VideoSource>> MutterDisplay::open_capture(int width, int height, int fps) {
  // The monitor takes the size its PipeWire consumer asks for.
  auto cap = PwVideoCapture::open(node_id(), width, height, fps, std::chrono::seconds(5));
  if (!cap)
    return tl::unexpected(cap.error());
  return std::unique_ptr<VideoSource>(std::move(*cap));
}

Result<std::unique_ptr<InputInjector>> MutterDisplay::open_input() {
  if (!has_input())
    return make_error(StatusCode::kUnavailable, "this Mutter offers no RemoteDesktop session");
  return std::unique_ptr<InputInjector>(std::make_unique<MutterInjector>(*this));
}

std::vector<std::string> MutterDisplay::app_environment() const {
  if (!home_)
    return compositor_app_environment();
  // Its own Mutter and the bus of that desktop; no X server (Mutter runs
  // without Xwayland), so X11 toolkits fall back to Wayland.
  return {"WAYLAND_DISPLAY=" + home_->wayland_display(),
          "DBUS_SESSION_BUS_ADDRESS=" + home_->bus_address(),
          "DISPLAY=", "XDG_SESSION_TYPE=wayland"};
}

}  // namespace pf::host
