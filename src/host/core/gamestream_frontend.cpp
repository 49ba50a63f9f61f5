// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/core/gamestream_frontend.h"

#include "base/log.h"

namespace pf::host {

namespace gs = gamestream;

GameStreamFrontend::GameStreamFrontend(gs::Service& service,
                                       SessionManager& sessions,
                                       InputRouter input,
                                       bool synthetic)
    : service_(service), sessions_(sessions), input_(std::move(input)), synthetic_(synthetic) {
  service_.nvhttp().on_launch([this](const gs::LaunchSession& ls) { return on_launch(ls); });
  service_.set_media_provider([this](const gs::StreamStart& st) { return media(st); });
  service_.on_cancel([this](const std::string& cert) { on_cancel(cert); });
  // A client's current app is its session's (serverinfo, /resume).
  service_.nvhttp().set_current_app_provider([this](const std::string& cert) -> uint32_t {
    auto s = sessions_.find_client(Protocol::kGameStream, gs::client_id(cert));
    return s ? s->app_id() : 0;
  });
  service_.on_stream_start([](const gs::StreamStart& st) {
    log_info("'{}' starts streaming {}x{}@{}", st.launch.client_name, st.stream.width,
             st.stream.height, st.stream.fps);
  });
}

Status GameStreamFrontend::on_launch(const gs::LaunchSession& ls) {
  const auto& q = ls.request;
  const std::string key = gs::client_id(ls.client_cert_pem);
  auto s = sessions_.find_client(Protocol::kGameStream, key);
  if (s && !s->display_alive()) {
    sessions_.end(s->id(), "its display server is gone");
    s = nullptr;
  }
  if (s) {  // a resume, or a launch of the app it runs
    if (q.width > 0)
      if (Status st = s->change_mode({q.width, q.height, q.fps}); !st.is_ok())
        return st;
    if (Status st = s->launch_app(); !st.is_ok())
      return st;
    log_info("session {:08x}: '{}' comes back at {}x{}@{}", s->id(), ls.client_name,
             s->mode().width, s->mode().height, s->mode().fps);
    return Status::ok();
  }
  if (q.width == 0)
    return Status(StatusCode::kFailedPrecondition, "no session to resume");
  SessionRequest r;
  r.protocol = Protocol::kGameStream;
  r.client_key = key;
  r.client_name = ls.client_name;
  r.mode = {q.width, q.height, q.fps};
  r.audio_channels = q.audio_channels;
  r.synthetic = synthetic_;
  const auto apps = service_.apps().list();
  if (const auto* app = apps.find(q.app_id)) {
    r.app_id = app->id;
    r.app_title = app->title;
    r.app_command = app->command;
  }
  auto opened = sessions_.open(r);
  if (!opened)
    return opened.error();
  return Status::ok();
}

gs::StreamMedia GameStreamFrontend::media(const gs::StreamStart& start) {
  const std::string key = gs::client_id(start.launch.client_cert_pem);
  auto s = sessions_.find_client(Protocol::kGameStream, key);
  gs::StreamMedia m;
  if (!s) {
    log_warn("video: '{}' has no session; streaming the synthetic pattern",
             start.launch.client_name);
    return m;
  }
  sessions_.set_streaming(s->id(), true);
  m.capture = s->capture();
  m.input = [input = input_, id = s->id()](const proto::native::InputDatagram& e) { input(id, e); };
  m.audio_sink = s->audio_sink();
  m.audio_sink_exists = s->owns_sink();
  // The client left without /cancel: its session lingers (unless it already
  // streams again, a resume racing the old stream's end).
  m.on_ended = [this, key, id = s->id()] {
    if (!service_.streamer().streaming(key))
      sessions_.set_streaming(id, false);
  };
  return m;
}

void GameStreamFrontend::on_cancel(const std::string& cert) {
  if (auto s = sessions_.find_client(Protocol::kGameStream, gs::client_id(cert)))
    sessions_.end(s->id(), "its client quit the app (/cancel)");
}

void GameStreamFrontend::on_session_end(Session& s) {
  // Moonlight: 0x80030023 the app on the host has quit (an end on purpose);
  // 0x80030024 a failure on the host — its display server died. (Whichever
  // notices first, the session's reaper or the stream's capture, the client
  // hears the same.)
  const uint32_t code = s.display_alive() ? 0x80030023 : 0x80030024;
  service_.streamer().end(s.client_key(), code);
}

}  // namespace pf::host
