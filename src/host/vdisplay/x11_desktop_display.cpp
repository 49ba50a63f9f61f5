// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/vdisplay/x11_desktop_display.h"

#include <cstdlib>

#include <fmt/format.h>

#include "host/capture/x_display.h"
#include "host/vdisplay/x11_reach.h"

// Last: Xlib's macros clash with the headers above.
#include <X11/Xlib.h>
#undef Status  // Xlib's macro; ours is pf::Status

namespace pf::host {

namespace {

struct Desktop {
  std::string display;
  int width = 0, height = 0;
};

Result<Desktop> find_desktop() {
  const char* env = std::getenv("DISPLAY");
  if (!env || !*env)
    return make_error(StatusCode::kUnavailable, "DISPLAY is not set (no X desktop here)");
  Display* dpy = open_x_display(env);
  if (!dpy)
    return make_error(StatusCode::kUnavailable,
                      fmt::format("no X server answers at DISPLAY={}", env));
  Desktop d{env, DisplayWidth(dpy, DefaultScreen(dpy)), DisplayHeight(dpy, DefaultScreen(dpy))};
  close_x_display(dpy);
  return d;
}

Status check_mode(const DisplayMode& m) {
  if (m.width < 16 || m.height < 16 || m.width > 16384 || m.height > 16384 || m.fps <= 0)
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("cannot stream {}x{}@{}", m.width, m.height, m.fps));
  return Status::ok();
}

}  // namespace

ProbeVerdict X11DesktopDisplay::probe() {
  auto d = find_desktop();
  if (!d)
    return {false, d.error().message()};
  return {true,
          fmt::format("the X desktop at DISPLAY={} ({}x{})", d->display, d->width, d->height)};
}

Result<std::unique_ptr<X11DesktopDisplay>> X11DesktopDisplay::open(const DisplayMode& mode) {
  if (auto st = check_mode(mode); !st.is_ok())
    return tl::unexpected(st);
  auto d = find_desktop();
  if (!d)
    return tl::unexpected(d.error());
  std::unique_ptr<X11DesktopDisplay> x(new X11DesktopDisplay());
  x->display_ = d->display;
  x->mode_ = mode;
  x->desktop_w_ = d->width;
  x->desktop_h_ = d->height;
  return x;
}

Status X11DesktopDisplay::resize(const DisplayMode& mode) {
  if (auto st = check_mode(mode); !st.is_ok())
    return st;
  mode_ = mode;
  return Status::ok();
}

Result<std::unique_ptr<VideoSource>> X11DesktopDisplay::open_capture(int width, int height, int) {
  return open_x11_capture(address(), width, height);  // XShm grabs whenever asked
}

Result<std::unique_ptr<InputInjector>> X11DesktopDisplay::open_input() {
  return open_x11_input(address());
}

std::vector<std::string> X11DesktopDisplay::app_environment() const {
  return {"DISPLAY=" + address()};
}

}  // namespace pf::host
