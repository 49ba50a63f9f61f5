// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "base/status.h"
#include "base/token_bucket.h"
#include "host/capture/session_source.h"
#include "host/gamestream/control_stream.h"
#include "host/gamestream/ping_demux.h"
#include "host/gamestream/rtsp_server.h"
#include "net/udp_socket.h"
#include "proto/gamestream/input.h"

namespace pf::host::gamestream {

using InputSink = std::function<void(const proto::native::InputDatagram&)>;

// What the host gives one stream (its session's): where the picture comes
// from, where input goes, which PipeWire sink the audio is captured from, and
// whom to tell when the stream ends on its own.
struct StreamMedia {
  CaptureOpener capture;           // empty: the synthetic pattern
  InputSink input;                 // empty: the streamer's input sink
  std::string audio_sink;          // "" = punktfunk-speakers
  bool audio_sink_exists = false;  // the session holds it: capture only
  // The stream ended without the host ending it: its client left (ENet
  // disconnect, silence) or something failed. Called from the stream's thread.
  std::function<void()> on_ended;
};

struct StreamerStats {
  uint64_t frames = 0, datagrams = 0, idr_requests = 0, pings = 0;
  uint64_t rfi_requests = 0, rfi_honoured = 0;  // honoured: answered without an IDR
  uint64_t audio_packets = 0, audio_pings = 0;
  uint64_t input_events = 0;
  bool client_endpoint_known = false;
  uint64_t input_rate_limited = 0;  // dropped by the input rate bound
  // Datagrams the client reported lost (FEC status, for frames that needed
  // FEC or were lost), and their share of those sent in the last 2 s.
  uint64_t reported_lost = 0;
  double loss_percent = 0;
  std::optional<uint32_t> rtt_ms;  // while the control stream is connected
  int bitrate_kbps = 0;
  std::string codec, encoder;  // "h264", "libx264" ... once the encoder is open
  std::string chroma;          // "4:2:0" or "4:4:4", likewise
};

// Where the desktop's sound comes from: PipeWire (falling back to the tone
// when PipeWire is not running) or always the 440 Hz test tone.
enum class AudioSource { kDesktop, kTone };

// What every stream shares: the host's ports and where their traffic goes.
struct StreamContext {
  net::UdpSocket* video = nullptr;  // duplicated per stream for sending
  net::UdpSocket* audio = nullptr;
  PingDemux* video_pings = nullptr;
  PingDemux* audio_pings = nullptr;
  ControlStream* control = nullptr;
  AudioSource audio_source = AudioSource::kDesktop;
  bool default_sink_monitor = false, make_default_sink = false;
  InputSink input;  // when the stream's media has none
};

// One client's GameStream stream: after PLAY it waits for the client's video
// ping, then captures (its session's display, or the synthetic source), encodes
// (libx264, first frame and every requested frame an IDR; an RFI is answered
// with a P-frame that references only frames before the loss, frame type 5,
// or an IDR when that cannot work), packetizes with FEC and sends to the
// ping's source, paced. Audio likewise after its own ping: the session's sink
// as Opus with 4+2 FEC. Its control-stream session (by connect data) is its
// lifeline: IDR/RFI requests and input come in on it, and the stream ends
// when it ends. Threads: video and audio, joined by stop().
class Stream {
 public:
  static Result<std::unique_ptr<Stream>> start(const StreamContext& context,
                                               const StreamStart& start,
                                               StreamMedia media);
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  // Ends the stream: termination message on the control stream, threads joined.
  void stop(uint32_t reason);
  bool running() const { return running_.load(); }
  StreamerStats stats() const;
  void send_rumble(uint16_t pad, uint16_t low, uint16_t high);
  // How often a pad's motion sensors report once it arrives with them.
  static constexpr uint16_t kMotionRateHz = 100;

 private:
  Stream(const StreamContext& context, const StreamStart& start) : ctx_(context), start_(start) {}
  ControlEvents control_events();
  void on_input(std::span<const uint8_t> packet);
  void release_input();
  void run_video(CaptureOpener capture);
  void run_audio(std::string sink, bool sink_exists);
  void finish(const std::string& why);

  StreamContext ctx_;
  StreamStart start_;
  std::unique_ptr<net::UdpSocket> video_, audio_;  // this stream's sending handles
  std::function<void()> on_ended_;
  std::atomic<bool> running_{false}, stop_{false}, idr_{true}, stopped_by_host_{false};
  mutable std::mutex mu_;
  StreamerStats stats_;                                   // mu_
  uint64_t window_lost_ = 0, window_sent_ = 0;            // loss window start; mu_
  std::chrono::steady_clock::time_point window_start_{};  // mu_
  std::optional<proto::gamestream::InvalidateRefs> rfi_;  // pending; mu_
  InputSink input_sink_;
  static constexpr double kInputPerSecond = 4000, kInputBurst = 1000;
  std::mutex input_mu_;  // the control thread translates, stop() releases
  TokenBucket input_limit_{kInputPerSecond, kInputBurst};  // input_mu_
  proto::gamestream::InputTranslator input_;               // input_mu_
  std::thread video_thread_, audio_thread_;
  // The control stream calls in on its own thread, possibly after this stream
  // is gone (a terminated client's disconnect or silence comes later): its
  // events reach the stream through this, cleared by stop().
  struct EventGuard {
    std::mutex mu;
    Stream* stream = nullptr;
  };
  std::shared_ptr<EventGuard> guard_ = std::make_shared<EventGuard>();
  template <typename F>
  auto guarded(F f) {
    return [g = guard_, f](auto&&... args) {
      std::lock_guard lock(g->mu);
      if (g->stream)
        f(*g->stream, std::forward<decltype(args)>(args)...);
    };
  }
};

}  // namespace pf::host::gamestream
