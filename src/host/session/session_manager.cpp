// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/session/session_manager.h"

#include <algorithm>

#include <fmt/format.h>

#include "base/log.h"

namespace pf::host {

SessionManager::SessionManager(SessionLimits limits,
                               DisplayFactory displays,
                               InputOpener input,
                               const Clock& clock,
                               std::function<uint32_t()> random_id)
    : limits_(limits),
      displays_(std::move(displays)),
      input_(std::move(input)),
      clock_(clock),
      random_id_(std::move(random_id)) {}

SessionManager::~SessionManager() {
  end_all("the host is stopping");
}

void SessionManager::set_sink_factory(SinkFactory sinks) {
  std::lock_guard lock(mu_);
  sinks_ = std::move(sinks);
}

void SessionManager::set_on_end(EndHook hook) {
  std::lock_guard lock(mu_);
  on_end_ = std::move(hook);
}

Result<std::shared_ptr<Session>> SessionManager::open(const SessionRequest& r) {
  {
    std::lock_guard lock(mu_);
    if (sessions_.size() + opening_ >= limits_.max_sessions)
      return make_error(StatusCode::kResourceExhausted,
                        fmt::format("host busy: it serves {} of {} sessions (max_sessions)",
                                    sessions_.size() + opening_, limits_.max_sessions));
    ++opening_;  // the place is held while the display is made
  }
  std::unique_ptr<VirtualDisplay> display;
  if (!r.synthetic) {
    auto d = displays_(r.mode);
    if (!d) {
      std::lock_guard lock(mu_);
      --opening_;
      return tl::unexpected(d.error());
    }
    display = std::move(*d);
  }
  std::shared_ptr<Session> s;
  SinkFactory sinks;
  {
    std::lock_guard lock(mu_);
    sinks = sinks_;
    --opening_;
    uint32_t id = 0;
    while (id == 0 || sessions_.count(id))
      id = random_id_();
    s = std::make_shared<Session>(id, r, std::move(display), input_, clock_.now_ns());
    s->bind_self(s);
    sessions_[id] = s;
  }
  log_info("session {:08x}: {} for '{}' ({}) at {}x{}@{}{}", s->id(), protocol_name(r.protocol),
           r.client_name, r.address, r.mode.width, r.mode.height, r.mode.fps,
           r.synthetic ? ", synthetic source" : ", display " + s->display_address());
  if (sinks)
    s->attach_sink(sinks(s->audio_sink(), r.audio_channels));
  s->prepare_input();
  if (Status st = s->launch_app(); !st.is_ok()) {
    end(s->id(), "its app did not start: " + st.message());
    return tl::unexpected(st);
  }
  return s;
}

std::shared_ptr<Session> SessionManager::find(uint32_t id) const {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : it->second;
}

std::shared_ptr<Session> SessionManager::find_client(Protocol protocol,
                                                     const std::string& client_key) const {
  std::lock_guard lock(mu_);
  for (const auto& [id, s] : sessions_)
    if (s->protocol() == protocol && s->client_key() == client_key)
      return s;
  return nullptr;
}

void SessionManager::finish(std::shared_ptr<Session> s, const std::string& reason) {
  EndHook hook;
  {
    std::lock_guard lock(mu_);
    hook = on_end_;
  }
  log_info("session {:08x} of '{}' ends: {}", s->id(), s->client_name(), reason);
  if (hook)
    hook(*s, reason);
  // The display, app and input go with the last reference (a stream's
  // capture opener may hold one until its thread has stopped).
}

bool SessionManager::end(uint32_t id, const std::string& reason) {
  std::shared_ptr<Session> s;
  {
    std::lock_guard lock(mu_);
    auto it = sessions_.find(id);
    if (it == sessions_.end())
      return false;
    s = std::move(it->second);
    sessions_.erase(it);
  }
  finish(std::move(s), reason);
  return true;
}

void SessionManager::set_streaming(uint32_t id, bool streaming) {
  if (auto s = find(id))
    s->set_streaming(streaming, clock_.now_ns());
}

int64_t SessionManager::linger_for(const SessionInfo& i) const {
  // A session whose client has not started streaming yet is being set up
  // (RTSP, the QUIC Welcome, the first probe), not left: it gets at least
  // kSetupGraceNs, whatever the linger (integration.churn: with a linger of
  // 0, a session was ended between its opening and its stream's start).
  return i.ever_streamed ? limits_.linger_ns : std::max(limits_.linger_ns, kSetupGraceNs);
}

size_t SessionManager::reap() {
  const int64_t now = clock_.now_ns();
  // Judged outside the manager's lock: a session's own lock may be held a
  // while (a capture being opened).
  std::vector<std::pair<uint32_t, std::string>> due;
  for (const auto& i : list()) {
    auto s = find(i.id);
    if (s && !s->display_alive())
      due.emplace_back(i.id, "its display server is gone");
    else if (!i.streaming && now - i.detached_ns >= linger_for(i))
      due.emplace_back(i.id, fmt::format("its client did not come back within {} s",
                                         limits_.linger_ns / 1'000'000'000));
  }
  size_t n = 0;
  for (const auto& [id, why] : due) {
    // Still lingering? (A client may have resumed it in the meantime.)
    auto s = find(id);
    if (!s || (s->display_alive() && s->info().streaming))
      continue;
    n += end(id, why) ? 1 : 0;
  }
  return n;
}

void SessionManager::end_all(const std::string& reason) {
  std::map<uint32_t, std::shared_ptr<Session>> all;
  {
    std::lock_guard lock(mu_);
    all.swap(sessions_);
  }
  for (auto& [id, s] : all)
    finish(std::move(s), reason);
}

std::vector<SessionInfo> SessionManager::list() const {
  std::vector<std::shared_ptr<Session>> all;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, s] : sessions_)
      all.push_back(s);
  }
  std::vector<SessionInfo> out;
  for (const auto& s : all)
    out.push_back(s->info());
  return out;
}

size_t SessionManager::size() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

}  // namespace pf::host
