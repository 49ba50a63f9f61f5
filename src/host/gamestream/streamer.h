// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "host/gamestream/control_stream.h"
#include "host/gamestream/ping_demux.h"
#include "host/gamestream/rtsp_server.h"
#include "host/gamestream/stream.h"
#include "net/udp_socket.h"

namespace pf::host::gamestream {

// The GameStream streaming ports and every stream on them: one video port
// (47998), one audio port (48000) and one control stream (47999) shared by
// all clients, their traffic told apart by ping payload (PingDemux) and
// connect data (ControlStream). One Stream per client (by client id, the
// hash of its certificate): a client that starts again (a resume) replaces
// its own stream and leaves the others' alone.
class Streamer {
 public:
  static Result<std::unique_ptr<Streamer>> create(
      const std::string& address,
      uint16_t video_port,
      uint16_t control_port,
      uint16_t audio_port,
      std::chrono::milliseconds control_silence = ControlStream::kSilenceTimeout);
  ~Streamer();

  uint16_t video_port() const;
  uint16_t audio_port() const;
  uint16_t control_port() const { return control_->port(); }
  const ControlStream& control() const { return *control_; }

  // Starts streaming `start` for its client (returns at once; that client's
  // running stream is ended first).
  Status begin(const StreamStart& start, StreamMedia media);
  // Ends one client's stream (client id; see client_id()): termination
  // message on the control stream, threads joined. Unknown clients are ignored.
  void end(const std::string& client, uint32_t reason = proto::gamestream::kTerminateGraceful);
  void end_all(uint32_t reason = proto::gamestream::kTerminateGraceful);
  // Streams running now.
  size_t active() const;
  bool streaming(const std::string& client) const;
  // Rumble for the client's controller `pad` (control message 0x010b); both
  // motors 0 stops it. Dropped when the client is not streaming.
  void send_rumble(const std::string& client, uint16_t pad, uint16_t low, uint16_t high);
  // One client's stream's counters (also after it ended, until it is
  // replaced or ended by the host).
  std::optional<StreamerStats> stats(const std::string& client) const;
  // The counters of the stream begun last.
  StreamerStats stats() const;

  using AudioSource = gamestream::AudioSource;
  void set_audio_source(AudioSource s);
  // Desktop capture: the default sink's monitor instead of the session's sink,
  // and/or the session's sink as the default sink while streaming.
  void set_capture_options(bool default_sink_monitor, bool make_default);
  // Where translated input goes when a stream's media names no sink (tests).
  void set_input_sink(InputSink sink);

 private:
  Streamer() = default;
  std::unique_ptr<Stream> take(const std::string& client);

  std::unique_ptr<net::UdpSocket> video_, audio_;
  std::unique_ptr<ControlStream> control_;
  std::unique_ptr<PingDemux> video_pings_, audio_pings_;
  mutable std::mutex mu_;
  StreamContext context_;                                   // mu_
  std::map<std::string, std::unique_ptr<Stream>> streams_;  // by client id; mu_
  std::string last_;                                        // client begun last; mu_
  InputSink input_;                                         // set_input_sink(); mu_
  std::mutex lifecycle_mu_;  // begin() and end() come from different threads
};

}  // namespace pf::host::gamestream
