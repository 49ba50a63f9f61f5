// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "host/audio/mic_service.h"
#include "host/config/paths.h"
#include "host/core/host_options.h"
#include "host/core/input_router.h"
#include "host/encode/encoder_factory.h"
#include "host/native/audio_streamer.h"
#include "host/native/native_service.h"
#include "host/native/video_streamer.h"
#include "host/session/session_manager.h"
#include "session/fec_adapter.h"

// punktfunk/1's side of the sessions: a connection's Hello opens its session
// (a display of the mode it asks for) or, for a device whose session lingers
// after a timeout, finds it again; the session's display is streamed (video
// on a UDP port of its own, desktop audio from the session's sink), its input
// reaches that display only, FEC follows the client's loss reports. A Bye
// ends the session; a connection that times out leaves it to linger. The mic
// goes to the host's one `punktfunk-mic` source.
//
// Thread model: the service's hooks run on the QUIC thread with its lock
// held; the media map has its own lock and is never held while calling the
// service.
namespace pf::host {

namespace pn = proto::native;

class NativeFrontend {
 public:
  static Result<std::unique_ptr<NativeFrontend>> start(const HostOptions& o,
                                                       const Paths& paths,
                                                       const std::string& host_name,
                                                       const VideoEncoders& encoders,
                                                       SessionManager& sessions,
                                                       InputRouter input);
  ~NativeFrontend();

  native::NativeService& service() { return *service_; }
  const MicService& mic() const { return mic_; }
  // The session manager ends a punktfunk/1 session: its connection is closed.
  void on_session_end(Session& s, const std::string& reason);
  // Protocol figures of a session for the management API (empty if none).
  nlohmann::json stats(uint32_t session_id);
  // Rumble back to the client of `session_id`.
  void send_datagram(uint32_t session_id, std::span<const uint8_t> bytes);

 private:
  struct Media {
    uint32_t session = 0;  // the SessionManager's id
    std::unique_ptr<native::NativeVideoStreamer> video;
    std::unique_ptr<native::NativeAudioStreamer> audio;
    std::unique_ptr<session::FecAdapter> fec;
    uint64_t packets_at_last_report = 0;
    pn::Welcome welcome;
  };
  NativeFrontend(const HostOptions& o, SessionManager& sessions, InputRouter input);
  native::SessionHooks hooks();
  Result<uint16_t> on_start(const native::SessionStart& st);
  Result<std::shared_ptr<Session>> session_for(const native::SessionStart& st);
  void on_end(uint32_t native_id, uint32_t reason);
  void on_control(uint32_t native_id, const pn::ControlMessage& m);
  void on_report(uint32_t native_id, Media& m, const pn::ReceiverReport& rr);
  std::optional<uint32_t> native_id_of(uint32_t session_id);

  const HostOptions options_;
  VideoEncoders encoders_;
  SessionManager& sessions_;
  InputRouter input_;
  MicService mic_;  // host lifetime: opened on the first mic packet, heals itself
  std::mutex mu_;
  std::map<uint32_t, Media> media_;  // by punktfunk/1 session id
  std::unique_ptr<native::NativeService> service_;
};

}  // namespace pf::host
