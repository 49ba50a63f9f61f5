// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "base/status.h"
#include "host/app/control.h"
#include "host/config/paths.h"
#include "host/core/gamestream_frontend.h"
#include "host/core/host_options.h"
#include "host/core/native_frontend.h"
#include "host/gamestream/service.h"
#include "host/input/gamepad_service.h"
#include "host/input/input_log.h"
#include "host/mgmt/mgmt_server.h"
#include "host/session/session_manager.h"

// The host assembled (the composition root): the session manager, both
// protocol front-ends, gamepads, the management API and the control socket,
// built in order and torn down in reverse. main() parses options, starts a
// Host, ticks it until told to stop and destroys it.
//
// Thread model: start(), tick() and the destructor from the main thread;
// everything else runs on the services' own threads.
namespace pf::host {

class Host {
 public:
  static Result<std::unique_ptr<Host>> start(const HostOptions& options, const Paths& paths);
  ~Host();

  // Every ~100 ms: reaps lingering sessions and notices ended streams.
  void tick();
  // The "how to pair" text for the terminal.
  std::string welcome(bool tty) const;
  // For sd_notify's READY status.
  std::string ready_status() const;
  gamestream::Service& gamestream() { return *gamestream_; }

 private:
  explicit Host(const HostOptions& options);
  Status start_gamestream(const Paths& paths);
  void start_sessions();
  Status start_control(const Paths& paths);
  Status start_mgmt(const Paths& paths);
  mgmt::MgmtBackend mgmt_backend();
  nlohmann::json session_json(const SessionInfo& i);
  void route_input(uint32_t session, const proto::native::InputDatagram& e);
  void route_rumble(uint32_t session, uint32_t pad, const Rumble& r);

  const HostOptions options_;
  std::string host_name_, encoder_ = "none";
  VideoEncoders encoders_;
  size_t open_sessions_ = 0;  // tick(): sessions at the last tick
  std::optional<std::chrono::steady_clock::time_point> trim_at_;  // tick(): malloc_trim then
  std::unique_ptr<gamestream::Service> gamestream_;
  std::unique_ptr<GamepadService> gamepads_;
  InputLog input_log_;
  std::unique_ptr<SessionManager> sessions_;
  std::unique_ptr<GameStreamFrontend> gs_frontend_;
  std::unique_ptr<NativeFrontend> native_;
  std::unique_ptr<gamestream::MdnsPublisher> native_mdns_;
  std::atomic<uint16_t> mgmt_port_{0};
  std::unique_ptr<ControlServer> control_;
  std::unique_ptr<mgmt::MgmtServer> mgmt_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace pf::host
