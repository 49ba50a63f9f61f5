// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "base/status.h"
#include "base/token_bucket.h"
#include "host/capture/session_source.h"
#include "host/gamestream/control_stream.h"
#include "host/gamestream/rtsp_server.h"
#include "net/udp_socket.h"
#include "proto/gamestream/input.h"

namespace pf::host::gamestream {

// What the host gives one stream (its session's): where the picture comes
// from, where input goes, which PipeWire sink the audio is captured from.
struct StreamMedia {
  CaptureOpener capture;                                           // empty: the synthetic pattern
  std::function<void(const proto::native::InputDatagram&)> input;  // empty: the input sink
  std::string audio_sink;                                          // "" = punktfunk-speakers
};

struct StreamerStats {
  uint64_t frames = 0, datagrams = 0, idr_requests = 0, pings = 0;
  uint64_t rfi_requests = 0, rfi_honoured = 0;  // honoured: answered without an IDR
  uint64_t audio_packets = 0, audio_pings = 0;
  uint64_t input_events = 0;
  bool client_endpoint_known = false;
  uint64_t input_rate_limited = 0;  // dropped by the input rate bound
};

// One GameStream streaming session at a time: after PLAY it waits for the
// client's video ping (16-character payload), then captures (the session's X
// display, or the synthetic source when there is none), encodes (libx264,
// first frame and every requested frame an IDR; an RFI is answered with a
// P-frame that references only frames before the loss, frame type 5, or an
// IDR when that cannot work), packetizes with FEC and
// sends to the ping's source address, paced. Audio likewise after its own
// ping: the desktop's audio (PipeWire sink "punktfunk-speakers"; a 440 Hz
// test tone when PipeWire is not running) as Opus with 4+2 FEC. The control stream (ENet) is the
// session's lifeline: IDR requests come in on it, input packets are translated to the host's input
// model and handed to the input sink, and the session ends when it ends (everything still held is
// released).
class Streamer {
 public:
  static Result<std::unique_ptr<Streamer>> create(const std::string& address,
                                                  uint16_t video_port,
                                                  uint16_t control_port,
                                                  uint16_t audio_port);
  ~Streamer();

  uint16_t video_port() const;
  uint16_t audio_port() const;
  uint16_t control_port() const { return control_->port(); }

  // Starts streaming `start` (returns at once; a running session is ended first).
  Status begin(const StreamStart& start, StreamMedia media);
  // Ends the session: termination message on the control stream, threads joined.
  void end(uint32_t reason = proto::gamestream::kTerminateGraceful);
  bool active() const { return running_.load(); }
  // Rumble for the client's controller `pad` (control message 0x010b); both
  // motors 0 stops it. Dropped when no client is connected.
  void send_rumble(uint16_t pad, uint16_t low, uint16_t high);
  // How often a pad's motion sensors report once it arrives with them.
  static constexpr uint16_t kMotionRateHz = 100;
  // The client of the current (or last) session, as it named itself in /launch.
  std::string client_name() const;
  // The certificate of the current (or last) session's client.
  std::string client_cert() const;
  // Where audio comes from: the desktop (PipeWire, falling back to the tone
  // when PipeWire is not running) or always the 440 Hz test tone.
  enum class AudioSource { kDesktop, kTone };
  void set_audio_source(AudioSource s) { audio_source_ = s; }
  // Desktop capture: the default sink's monitor instead of punktfunk-speakers,
  // and/or punktfunk-speakers as the default sink while streaming.
  void set_capture_options(bool default_sink_monitor, bool make_default) {
    capture_default_monitor_ = default_sink_monitor;
    capture_make_default_ = make_default;
  }
  // Where translated input goes (the injection service; tests use a fake).
  using InputSink = std::function<void(const proto::native::InputDatagram&)>;
  void set_input_sink(InputSink sink) {
    std::lock_guard lock(mu_);
    sink_ = std::move(sink);
  }
  StreamerStats stats() const;

 private:
  Streamer() = default;
  void run(StreamStart start, CaptureOpener capture);
  void run_audio(StreamStart start, std::string sink);
  void end_locked(uint32_t reason);

  std::unique_ptr<net::UdpSocket> video_, audio_;
  std::thread audio_thread_;
  std::unique_ptr<ControlStream> control_;
  static constexpr double kInputPerSecond = 4000, kInputBurst = 1000;
  TokenBucket input_limit_{kInputPerSecond, kInputBurst};  // under input_mu_
  std::mutex lifecycle_mu_;  // begin() and end() come from different threads
  std::thread thread_;
  std::atomic<bool> running_{false}, stop_{false}, idr_{false};
  std::optional<proto::gamestream::InvalidateRefs> rfi_;  // pending; guarded by mu_
  std::string client_name_, client_cert_;                 // guarded by mu_
  uint32_t connect_data_ = 0;                             // of the current session; mu_
  std::atomic<uint64_t> generation_{0};                   // +1 per begin()
  uint32_t current_connect_data() const;
  std::atomic<AudioSource> audio_source_{AudioSource::kDesktop};
  std::atomic<bool> capture_default_monitor_{false}, capture_make_default_{false};
  mutable std::mutex mu_;
  StreamerStats stats_;
  InputSink sink_;
  InputSink stream_input_;  // the current stream's session's (mu_)
  std::mutex input_mu_;     // the control thread translates, end() releases
  proto::gamestream::InputTranslator input_;
  void release_input();
};

}  // namespace pf::host::gamestream
