// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/session/session.h"

#include <fmt/format.h>

#include "base/log.h"

namespace pf::host {

const char* protocol_name(Protocol p) {
  return p == Protocol::kGameStream ? "gamestream" : "punktfunk/1";
}

Session::Session(uint32_t id,
                 SessionRequest request,
                 std::unique_ptr<VirtualDisplay> display,
                 InputOpener input,
                 int64_t now_ns)
    : id_(id),
      request_(std::move(request)),
      input_opener_(std::move(input)),
      display_(std::move(display)),
      mode_(request_.mode),
      started_ns_(now_ns),
      detached_ns_(now_ns) {}

Session::~Session() {
  std::lock_guard lock(mu_);
  injector_.reset();  // releases what it holds before its display goes
  if (app_) {
    log_info("session {:08x}: stopping the app (pid {})", id_, app_->pid());
    app_.reset();
  }
  sink_.reset();  // after the app: nothing of it is moved to another sink
  if (display_)
    log_info("session {:08x}: virtual display {} closed", id_, display_->address());
  display_.reset();
}

void Session::attach_sink(std::unique_ptr<SessionSink> sink) {
  std::lock_guard lock(mu_);
  sink_ = std::move(sink);
}

bool Session::owns_sink() const {
  std::lock_guard lock(mu_);
  return sink_ != nullptr;
}

std::string Session::audio_sink() const {
  return fmt::format("punktfunk-{:08x}", id_);
}

DisplayMode Session::mode() const {
  std::lock_guard lock(mu_);
  return mode_;
}

std::string Session::display_address() const {
  std::lock_guard lock(mu_);
  return display_ ? display_->address() : std::string();
}

SessionInfo Session::info() const {
  std::lock_guard lock(mu_);
  SessionInfo i;
  i.id = id_;
  i.protocol = request_.protocol;
  i.client_key = request_.client_key;
  i.client_name = request_.client_name;
  i.address = request_.address;
  i.mode = mode_;
  i.display = display_ ? display_->address() : std::string();
  i.app = request_.app_title;
  i.app_running = app_ && app_->running();
  i.streaming = streaming_;
  i.ever_streamed = ever_streamed_;
  i.started_ns = started_ns_;
  i.detached_ns = streaming_ ? 0 : detached_ns_;
  return i;
}

CaptureOpener Session::capture() {
  if (request_.synthetic)
    return {};
  return [self = self_.lock()](int w, int h, int fps) -> Result<std::unique_ptr<VideoSource>> {
    if (!self)
      return make_error(StatusCode::kFailedPrecondition, "the session has ended");
    std::lock_guard lock(self->mu_);
    if (!self->display_)
      return make_error(StatusCode::kUnavailable, "the session has no display");
    return self->display_->open_capture(w, h, fps);
  };
}

bool Session::ensure_injector_locked() {
  if (injector_)
    return true;
  if (injector_failed_ || !display_)
    return false;
  auto in = input_opener_ ? input_opener_(*display_) : display_->open_input();
  if (!in) {
    injector_failed_ = true;  // said once; a mode change tries again
    log_warn("session {:08x}: input: {}; input is dropped", id_, in.error().message());
    return false;
  }
  injector_ = std::move(*in);
  return true;
}

void Session::inject(const proto::native::InputDatagram& e) {
  std::lock_guard lock(mu_);
  if (ensure_injector_locked())
    injector_->inject(e);
}

Status Session::change_mode(const DisplayMode& mode) {
  std::lock_guard lock(mu_);
  if (!display_ || mode == mode_) {
    mode_ = mode;
    return Status::ok();
  }
  injector_.reset();  // off the old server before a resize replaces it
  injector_failed_ = false;
  if (app_) {
    // Xvfb (and Mutter) make a new display for a new mode: the app's
    // connection would break, so it starts again on the new one.
    log_info("session {:08x}: stopping the app (pid {}) for the mode change", id_, app_->pid());
    app_.reset();
  }
  if (Status st = display_->resize(mode); !st.is_ok())
    return st;
  mode_ = mode;
  log_info("session {:08x}: display {} now {}x{}@{}", id_, display_->address(), mode.width,
           mode.height, mode.fps);
  (void)ensure_injector_locked();  // a compositor's clients need a moment to see new devices
  return Status::ok();
}

void Session::prepare_input() {
  std::lock_guard lock(mu_);
  (void)ensure_injector_locked();
}

Status Session::launch_app() {
  std::lock_guard lock(mu_);
  if (request_.app_command.empty() || !display_ || (app_ && app_->running()))
    return Status::ok();
  auto env = display_->app_environment();
  env.push_back("PULSE_SINK=" + audio_sink());  // what the app plays reaches this client only
  auto app = AppProcess::start(request_.app_command, env);
  if (!app)
    return app.error();
  app_ = std::move(*app);
  log_info("session {:08x}: app '{}' started on {} (pid {})", id_, request_.app_title,
           display_->address(), app_->pid());
  return Status::ok();
}

bool Session::display_alive() {
  std::lock_guard lock(mu_);
  return !display_ || display_->alive();
}

void Session::set_streaming(bool streaming, int64_t now_ns) {
  std::lock_guard lock(mu_);
  if (streaming_ && !streaming)
    detached_ns_ = now_ns;
  streaming_ = streaming;
  ever_streamed_ = ever_streamed_ || streaming;
}

}  // namespace pf::host
