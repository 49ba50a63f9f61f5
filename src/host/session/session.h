// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "base/status.h"
#include "host/capture/session_source.h"
#include "host/input/input_injector.h"
#include "host/process/app_process.h"
#include "host/vdisplay/virtual_display.h"

// One client's stream, whatever protocol it came by: the virtual display of
// exactly its mode, the input into that display, the app launched on it and
// the name of its audio sink. Everything is released when the session is
// destroyed, however it ended (session_manager.h decides when).
//
// Thread model: thread-safe. Protocol threads inject input and open
// captures while an HTTP thread may change the mode; one mutex guards the
// display, its injector and the app. A capture opened from capture() uses the
// display on the streamer's thread and must be closed before the session is
// destroyed or its mode changed (the protocol front-end stops its stream
// first).
namespace pf::host {

enum class Protocol { kGameStream, kPunktfunk };
const char* protocol_name(Protocol p);

// What a client asks for.
struct SessionRequest {
  Protocol protocol = Protocol::kPunktfunk;
  // Who: a GameStream client's certificate id, a punktfunk/1 device's
  // fingerprint. A client has at most one session per protocol.
  std::string client_key;
  std::string client_name;
  std::string address;  // the client's, for lists and logs
  DisplayMode mode;
  uint32_t app_id = 0;      // the protocol's id of the app (GameStream), 0 = none
  std::string app_title;    // "" = the desktop
  std::string app_command;  // "" = nothing to launch
  bool synthetic = false;   // no display: the synthetic pattern (tests, --native-source)
  int audio_channels = 2;   // of its sink: 2, 6 or 8
};

// A session's own audio sink (PipeWire's in the host; the session only holds it).
class SessionSink {
 public:
  virtual ~SessionSink() = default;
};

// How input reaches a display: its own way in (VirtualDisplay::open_input),
// or uinput / libei when the host is configured so.
using InputOpener = std::function<Result<std::unique_ptr<InputInjector>>(VirtualDisplay&)>;

// A snapshot for lists (management API, logs).
struct SessionInfo {
  uint32_t id = 0;
  Protocol protocol = Protocol::kPunktfunk;
  std::string client_key, client_name, address;
  DisplayMode mode;
  std::string display;  // its address, "" when synthetic
  std::string app;      // the app's title ("" = desktop)
  bool app_running = false;
  bool streaming = false;
  bool ever_streamed = false;  // false while its first client is still setting up
  int64_t started_ns = 0;
  int64_t detached_ns = 0;  // when its client left (0 while streaming)
};

class Session {
 public:
  Session(uint32_t id,
          SessionRequest request,
          std::unique_ptr<VirtualDisplay> display,
          InputOpener input,
          int64_t now_ns);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  uint32_t id() const { return id_; }
  Protocol protocol() const { return request_.protocol; }
  const std::string& client_key() const { return request_.client_key; }
  const std::string& client_name() const { return request_.client_name; }
  uint32_t app_id() const { return request_.app_id; }
  // The session's own PipeWire sink, which its app plays to and its audio
  // stream captures: "punktfunk-<id>".
  std::string audio_sink() const;
  // The sink lives as long as the session (a lingering session's app keeps
  // playing into its own sink); attached once, before the app starts.
  void attach_sink(std::unique_ptr<SessionSink> sink);
  // Whether the session holds its sink (else its audio stream makes one).
  bool owns_sink() const;
  DisplayMode mode() const;
  std::string display_address() const;
  SessionInfo info() const;

  // Opens the picture of the session's display (empty when synthetic). The
  // opener holds the session alive while it exists.
  CaptureOpener capture();
  // Into the session's display (the injector is opened on first use and
  // again after a mode change); dropped when it takes no input.
  void inject(const proto::native::InputDatagram& e);
  // A resume at another mode: input closed, the display resized (an Xvfb is
  // remade, so its app starts again).
  Status change_mode(const DisplayMode& mode);
  // Opens its input devices now, before the first event: a compositor's
  // clients need a moment to see a new virtual keyboard.
  void prepare_input();
  // Starts the app on the display when it has a command and none runs.
  Status launch_app();
  // False when its display server died underneath it.
  bool display_alive();

  // Whether a client is streaming it; detached sessions linger.
  void set_streaming(bool streaming, int64_t now_ns);

  // The only way to get a CaptureOpener that keeps the session alive.
  void bind_self(std::weak_ptr<Session> self) { self_ = std::move(self); }

 private:
  bool ensure_injector_locked();

  const uint32_t id_;
  const SessionRequest request_;
  const InputOpener input_opener_;
  std::weak_ptr<Session> self_;
  mutable std::mutex mu_;
  std::unique_ptr<VirtualDisplay> display_;
  std::unique_ptr<InputInjector> injector_;
  bool injector_failed_ = false;
  std::unique_ptr<SessionSink> sink_;  // released after the app (declared before it)
  std::unique_ptr<AppProcess> app_;
  DisplayMode mode_;
  bool streaming_ = false, ever_streamed_ = false;
  int64_t started_ns_ = 0, detached_ns_ = 0;
};

}  // namespace pf::host
