// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "host/core/input_router.h"
#include "host/gamestream/service.h"
#include "host/session/session_manager.h"

// GameStream's side of the sessions: a client's /launch opens its session (a
// display of the mode it asks for, its app), /resume finds it again (at a new
// mode if asked), a stream's picture, input and audio come from it, /cancel
// ends it, and a client that only stops streaming leaves it to linger. A
// client is known by its certificate (every Moonlight sends the same
// uniqueid). The GameStream service streams one client at a time (its media
// ports serve one stream): a second client's stream replaces the first's,
// whose session then lingers like any stopped one.
//
// Thread model: nvhttp and RTSP call in on their threads; tick() from the
// host's loop; state under one mutex.
namespace pf::host {

class GameStreamFrontend {
 public:
  GameStreamFrontend(gamestream::Service& service, SessionManager& sessions, InputRouter input);

  // Notices a stream that ended (its session then lingers).
  void tick();
  // The session manager ends a GameStream session: its stream stops first.
  void on_session_end(Session& s);
  // The session the service streams now, if any.
  std::optional<uint32_t> streaming_session() const;

 private:
  Status on_launch(const gamestream::LaunchSession& ls);
  gamestream::StreamMedia media(const gamestream::StreamStart& start);
  void on_cancel(const std::string& cert);

  gamestream::Service& service_;
  SessionManager& sessions_;
  InputRouter input_;
  mutable std::mutex mu_;
  std::optional<uint32_t> streaming_;
  // When it started: the stream becomes active a moment after media() is
  // asked for, so tick() leaves a new one alone for a while.
  std::chrono::steady_clock::time_point streaming_since_{};
};

}  // namespace pf::host
