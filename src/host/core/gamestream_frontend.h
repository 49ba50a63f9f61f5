// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "host/core/input_router.h"
#include "host/gamestream/service.h"
#include "host/session/session_manager.h"

// GameStream's side of the sessions: a client's /launch opens its session (a
// display of the mode it asks for, its app), /resume finds it again (at a new
// mode if asked), a stream's picture, input and audio come from it, /cancel
// ends it, and a client that only stops streaming leaves it to linger. A
// client is known by its certificate (every Moonlight sends the same
// uniqueid). Every paired client streams its own session at once (the
// service's ports are shared, its streams told apart by ping payload and
// connect data); a stream that ends on its own leaves its session lingering.
//
// Thread model: nvhttp, RTSP and the streams call in on their threads; the
// state is the session manager's.
namespace pf::host {

class GameStreamFrontend {
 public:
  // synthetic: sessions stream the synthetic test pattern (frame-index barcode), no display.
  GameStreamFrontend(gamestream::Service& service,
                     SessionManager& sessions,
                     InputRouter input,
                     bool synthetic = false);

  // The session manager ends a GameStream session: its stream stops first.
  void on_session_end(Session& s);

 private:
  Status on_launch(const gamestream::LaunchSession& ls);
  gamestream::StreamMedia media(const gamestream::StreamStart& start);
  void on_cancel(const std::string& cert);

  gamestream::Service& service_;
  SessionManager& sessions_;
  InputRouter input_;
  const bool synthetic_;
};

}  // namespace pf::host
