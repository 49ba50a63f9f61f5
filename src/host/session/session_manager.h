// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "host/session/session.h"

// The one place that knows how many sessions exist: it opens them (each
// with a display of its own, at most max_sessions), finds them by id or by
// client, keeps a session whose client left without ending it for
// `linger` (so a resume finds its display and app), and ends them — on
// request, after the linger, or when their display died — telling the
// protocol front-end (on_end) so it stops the session's streams first.
//
// Thread model: thread-safe. Displays are created outside the lock (an Xvfb
// takes a moment); on_end is called outside it, on the ending thread.
namespace pf::host {

using DisplayFactory = std::function<Result<std::unique_ptr<VirtualDisplay>>(const DisplayMode&)>;
// Makes a session's own audio sink (name, channels); nullptr when there can
// be none (no PipeWire): its audio stream then makes one while it runs.
using SinkFactory =
    std::function<std::unique_ptr<SessionSink>(const std::string& name, int channels)>;

struct SessionLimits {
  size_t max_sessions = 4;
  int64_t linger_ns = 120'000'000'000;  // session_linger_s
};

class SessionManager {
 public:
  // How long a session that never streamed is given to start (it is not lingering).
  static constexpr int64_t kSetupGraceNs = 30'000'000'000;
  // Called once per ended session, before it is released, with the reason.
  using EndHook = std::function<void(Session&, const std::string& reason)>;

  SessionManager(SessionLimits limits,
                 DisplayFactory displays,
                 InputOpener input,
                 const Clock& clock,
                 std::function<uint32_t()> random_id);
  ~SessionManager();

  // A new session with a display of the asked mode and its app started.
  // kResourceExhausted ("host busy") at max_sessions.
  Result<std::shared_ptr<Session>> open(const SessionRequest& request);
  std::shared_ptr<Session> find(uint32_t id) const;
  std::shared_ptr<Session> find_client(Protocol protocol, const std::string& client_key) const;
  // Ends the session (on_end, then released); false when there is none.
  bool end(uint32_t id, const std::string& reason);
  // Its client started or stopped streaming it (a stopped one lingers).
  void set_streaming(uint32_t id, bool streaming);
  // Ends sessions lingering past the limit and those whose display died;
  // returns how many. Called periodically by the host.
  size_t reap();
  // Ends every session (host shutdown).
  void end_all(const std::string& reason);
  std::vector<SessionInfo> list() const;
  size_t size() const;
  const SessionLimits& limits() const { return limits_; }
  void set_on_end(EndHook hook);
  void set_sink_factory(SinkFactory sinks);

 private:
  void finish(std::shared_ptr<Session> s, const std::string& reason);
  int64_t linger_for(const SessionInfo& i) const;

  const SessionLimits limits_;
  const DisplayFactory displays_;
  const InputOpener input_;
  const Clock& clock_;
  const std::function<uint32_t()> random_id_;
  mutable std::mutex mu_;
  std::map<uint32_t, std::shared_ptr<Session>> sessions_;
  size_t opening_ = 0;  // reserved places of sessions being opened
  EndHook on_end_;      // guarded by mu_
  SinkFactory sinks_;   // guarded by mu_
};

}  // namespace pf::host
