// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/vdisplay/sway_display.h"

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "base/log.h"
#include "host/capture/scaling_source.h"
#include "host/capture/wlr_screencopy_capture.h"
#include "host/input/wlr_virtual_injector.h"
#include "host/vdisplay/compositor_env.h"
#include "host/vdisplay/sway_focus.h"
#include "host/vdisplay/sway_ipc.h"

namespace pf::host {

namespace sway = proto::sway;

namespace {

// Outputs this host made and could not remove: reused before making more.
// The mutex also keeps the sessions' take_output() in turns.
std::mutex g_parked_mu;
std::vector<std::string> g_parked;

Result<std::unique_ptr<SwayIpc>> connect(std::chrono::milliseconds timeout) {
  return SwayIpc::connect({}, timeout);
}

Status run(SwayIpc& ipc, const std::string& name, const std::string& rest) {
  auto cmd = sway::output_command(name, rest);
  if (!cmd)
    return cmd.error();
  return ipc.command(*cmd);
}

bool shows(const sway::Output& o, const DisplayMode& m) {
  return o.active && o.width == m.width && o.height == m.height &&
         std::abs(o.refresh_mhz - m.fps * 1000) <= 1000;
}

// Sets `mode` on output `name` and waits until sway lists it so.
Status apply_mode(SwayIpc& ipc,
                  const std::string& name,
                  const DisplayMode& mode,
                  std::chrono::milliseconds timeout) {
  if (mode.width <= 0 || mode.height <= 0 || mode.fps <= 0)
    return Status(StatusCode::kInvalidArgument, "a display mode needs a size and a rate");
  if (auto st =
          run(ipc, name,
              fmt::format("enable mode --custom {}x{}@{}Hz", mode.width, mode.height, mode.fps));
      !st.is_ok())
    return st;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  sway::Output last;
  for (;;) {
    auto outs = ipc.outputs();
    if (!outs)
      return outs.error();
    const auto it = std::find_if(outs->begin(), outs->end(),
                                 [&](const sway::Output& o) { return o.name == name; });
    if (it == outs->end())
      return Status(StatusCode::kNotFound, fmt::format("sway's output {} is gone", name));
    if (shows(*it, mode))
      return Status::ok();
    last = *it;
    if (std::chrono::steady_clock::now() >= deadline)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Status(StatusCode::kFailedPrecondition,
                fmt::format("sway did not set {} to {}x{}@{} (it shows {}x{}@{:.3g}{}; sway's "
                            "log says why)",
                            name, mode.width, mode.height, mode.fps, last.width, last.height,
                            last.refresh_mhz / 1000.0, last.active ? "" : ", disabled"));
}

// A parked output that still exists, or a new one from create_output. The
// new one is told by the outputs listed before and after, so sessions opening
// at once take turns here: each would see both new outputs otherwise, and two
// sessions took the same one.
Result<std::string> take_output(SwayIpc& ipc) {
  std::lock_guard lock(g_parked_mu);
  auto before = ipc.outputs();
  if (!before)
    return tl::unexpected(before.error());
  while (!g_parked.empty()) {
    std::string name = std::move(g_parked.back());
    g_parked.pop_back();
    if (std::any_of(before->begin(), before->end(),
                    [&](const sway::Output& o) { return o.name == name; }))
      return name;
  }
  if (auto st = ipc.command("create_output"); !st.is_ok())
    return make_error(st.code(), st.message() +
                                     " (sway needs its headless backend for virtual outputs: "
                                     "WLR_BACKENDS=...,headless)");
  auto after = ipc.outputs();
  if (!after)
    return tl::unexpected(after.error());
  for (const auto& o : *after)
    if (std::none_of(before->begin(), before->end(),
                     [&](const sway::Output& b) { return b.name == o.name; }))
      return o.name;
  return make_error(StatusCode::kFailedPrecondition,
                    "sway said it created an output but lists no new one");
}

}  // namespace

ProbeVerdict SwayDisplay::probe() {
  auto ipc = connect(std::chrono::milliseconds(500));
  if (!ipc)
    return {false, ipc.error().message()};
  auto v = (*ipc)->version();
  if (!v)
    return {false, fmt::format("sway at {}: {}", (*ipc)->socket(), v.error().message())};
  const char* wl = std::getenv("WAYLAND_DISPLAY");
  if (!wl || !*wl)
    return {false, fmt::format("sway {} answers at {}, but WAYLAND_DISPLAY is not set (capture "
                               "and input need its Wayland socket)",
                               *v, (*ipc)->socket())};
  return {true, fmt::format("sway {} at {}, Wayland socket {}", *v, (*ipc)->socket(), wl)};
}

Result<std::unique_ptr<SwayDisplay>> SwayDisplay::create(const DisplayMode& mode,
                                                         std::chrono::milliseconds timeout) {
  auto ipc = connect(timeout);
  if (!ipc)
    return tl::unexpected(ipc.error());
  auto name = take_output(**ipc);
  if (!name)
    return tl::unexpected(name.error());
  if (auto st = apply_mode(**ipc, *name, mode, timeout); !st.is_ok()) {
    std::lock_guard lock(g_parked_mu);
    g_parked.push_back(*name);
    return tl::unexpected(st);
  }
  // New windows (the session's app) open on it.
  if (auto cmd = sway::output_command(*name, ""); cmd)
    (void)(*ipc)->command("focus " + *cmd);
  std::unique_ptr<SwayDisplay> d(new SwayDisplay());
  d->output_ = *name;
  d->mode_ = mode;
  d->timeout_ = timeout;
  return d;
}

SwayDisplay::~SwayDisplay() {
  auto ipc = connect(timeout_);
  if (!ipc) {
    log_warn("sway output {} left as it is: {}", output_, ipc.error().message());
    return;
  }
  if (run(**ipc, output_, "unplug").is_ok())
    return;
  (void)run(**ipc, output_, "disable");
  auto outs = (*ipc)->outputs();
  const bool gone_or_off =
      outs && std::none_of(outs->begin(), outs->end(),
                           [&](const sway::Output& o) { return o.name == output_ && o.active; });
  if (!gone_or_off)
    log_debug("sway cannot remove or disable output {}; kept for the next session", output_);
  std::lock_guard lock(g_parked_mu);
  g_parked.push_back(output_);
}

Status SwayDisplay::resize(const DisplayMode& mode) {
  auto ipc = connect(timeout_);
  if (!ipc)
    return ipc.error();
  if (auto st = apply_mode(**ipc, output_, mode, timeout_); !st.is_ok())
    return st;
  mode_ = mode;
  return Status::ok();
}

std::optional<std::string> wayland_output_of(const std::string& address) {
  constexpr std::string_view kPrefix = "wayland:";
  if (address.size() <= kPrefix.size() || address.compare(0, kPrefix.size(), kPrefix) != 0)
    return std::nullopt;
  return address.substr(kPrefix.size());
}

Result<std::unique_ptr<VideoSource>> SwayDisplay::open_capture(int width, int height, int fps) {
  (void)fps;  // wlr-screencopy waits for the output's next frame
  auto cap = WlrScreencopyCapture::open({}, output_name());
  if (!cap)
    return tl::unexpected(cap.error());
  return fit_to_session(std::move(*cap), width, height);
}

Result<std::unique_ptr<InputInjector>> SwayDisplay::open_input() {
  // Sessions on one sway share its seat: each key takes the focus to its output first.
  auto focus = std::make_shared<SwayFocus>(output_name());
  auto in =
      WlrVirtualInjector::open({}, output_name(), timeout_, [focus] { return focus->take(); });
  if (!in)
    return tl::unexpected(in.error());
  return std::unique_ptr<InputInjector>(std::move(*in));
}

std::vector<std::string> SwayDisplay::app_environment() const {
  return compositor_app_environment();
}

}  // namespace pf::host
