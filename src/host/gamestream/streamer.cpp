// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/gamestream/streamer.h"

#include <chrono>
#include <cstring>

#include <fmt/format.h>

#include "base/clock.h"
#include "base/log.h"
#include "host/audio/opus_encoder.h"
#include "host/audio/pw_capture.h"
#include "host/capture/capture_thread.h"
#include "host/capture/session_source.h"
#include "host/encode/ref_invalidation.h"
#include "host/encode/x264_encoder.h"
#include "proto/gamestream/audio.h"
#include "proto/gamestream/video.h"
#include "session/pacing.h"

namespace pf::host::gamestream {

using proto::gamestream::FrameType;
using proto::gamestream::VideoSender;

Result<std::unique_ptr<Streamer>> Streamer::create(const std::string& address,
                                                   uint16_t video_port,
                                                   uint16_t control_port,
                                                   uint16_t audio_port) {
  std::unique_ptr<Streamer> s(new Streamer());
  auto addr = net::Address::parse(address, video_port);
  if (!addr)
    return tl::unexpected(addr.error());
  net::UdpOptions uo;
  uo.gro = false;  // pings are tiny; GSO stays on for sending
  auto sock = net::UdpSocket::open(*addr, uo);
  if (!sock)
    return make_error(StatusCode::kUnavailable, fmt::format("video: {} (port {} in use?)",
                                                            sock.error().message(), video_port));
  s->video_ = std::make_unique<net::UdpSocket>(std::move(*sock));
  uo.gso = false;
  auto asock = net::UdpSocket::open(*net::Address::parse(address, audio_port), uo);
  if (!asock)
    return make_error(StatusCode::kUnavailable, fmt::format("audio: {} (port {} in use?)",
                                                            asock.error().message(), audio_port));
  s->audio_ = std::make_unique<net::UdpSocket>(std::move(*asock));
  auto control = ControlStream::start(address, control_port);
  if (!control)
    return tl::unexpected(control.error());
  s->control_ = std::move(*control);
  return s;
}

Streamer::~Streamer() {
  end();
}

uint16_t Streamer::video_port() const {
  return video_->local_address().port();
}

uint16_t Streamer::audio_port() const {
  return audio_->local_address().port();
}

StreamerStats Streamer::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

uint32_t Streamer::current_connect_data() const {
  std::lock_guard lock(mu_);
  return connect_data_;
}

std::string Streamer::client_cert() const {
  std::lock_guard lock(mu_);
  return client_cert_;
}

std::string Streamer::client_name() const {
  std::lock_guard lock(mu_);
  return client_name_;
}

Status Streamer::begin(const StreamStart& start, StreamMedia media) {
  std::lock_guard life(lifecycle_mu_);
  end_locked(proto::gamestream::kTerminateGraceful);
  if (start.stream.hdr)  // the applist offers no HDR app, so an old or odd client
    log_warn("video: '{}' asked for HDR; this host streams 8-bit SDR (no HDR encoder yet)",
             start.launch.client_name);
  stop_ = false;
  idr_ = true;
  const uint32_t cd = start.connect_data;
  const uint64_t gen = ++generation_;
  // Events of an ended session (its disconnect arrives after the next one
  // began) must not touch the current one.
  auto current = [this, gen] { return generation_.load() == gen; };
  {
    std::lock_guard lock(mu_);
    stats_ = {};
    rfi_.reset();
    client_name_ = start.launch.client_name;
    client_cert_ = start.launch.client_cert_pem;
    connect_data_ = cd;
    stream_input_ = std::move(media.input);
  }
  ControlEvents ev;
  ev.on_idr_request = [this, current] {
    if (!current())
      return;
    idr_ = true;
    std::lock_guard lock(mu_);
    ++stats_.idr_requests;
  };
  ev.on_rfi = [this, current](const proto::gamestream::InvalidateRefs& r) {
    if (!current())
      return;
    std::lock_guard lock(mu_);
    ++stats_.rfi_requests;
    // Overlapping requests: invalidating from the oldest covers them all.
    if (!rfi_ || r.first < rfi_->first)
      rfi_ = r;
  };
  {
    std::lock_guard in(input_mu_);
    input_limit_ = TokenBucket(kInputPerSecond, kInputBurst);  // a new client, a full bucket
  }
  ev.on_input = [this, current, cd](std::span<const uint8_t> packet) {
    if (!current())
      return;
    std::lock_guard in(input_mu_);
    auto events = input_.translate(packet);
    // A pad sends its motion sensors only when asked (0x5501): a PlayStation
    // pad's go to the host's DualSense-style pad, at kMotionRateHz.
    for (const auto& e : events)
      if (e.kind == static_cast<uint8_t>(proto::native::InputKind::kGamepadArrival) &&
          (e.code & 0xFFFF) == static_cast<uint32_t>(proto::native::GamepadType::kPlayStation) &&
          control_)
        for (const auto& [cap, sensor] :
             {std::pair{proto::native::kCapAccel, proto::native::kSensorAccel},
              std::pair{proto::native::kCapGyro, proto::native::kSensorGyro}})
          if (e.flags & cap)
            control_->send(cd, proto::gamestream::make_set_motion_event(
                                   static_cast<uint16_t>(e.code >> 16), kMotionRateHz,
                                   static_cast<uint8_t>(sensor)));
    // The same bound as punktfunk/1 sessions: floods dropped, releases kept.
    const int64_t now = SteadyClock::instance().now_ns();
    const size_t before = events.size();
    std::erase_if(events, [&](const proto::native::InputDatagram& e) {
      return !input_limit_.take(now) && !proto::native::is_release(e);
    });
    InputSink sink;
    {
      std::lock_guard lock(mu_);
      sink = stream_input_ ? stream_input_ : sink_;
      stats_.input_events += events.size();
      stats_.input_rate_limited += before - events.size();
    }
    if (sink)
      for (const auto& e : events)
        sink(e);
  };
  ev.on_ended = [this, current](const std::string&) {
    if (!current())
      return;
    release_input();  // nothing stays pressed after the client is gone
    stop_ = true;
  };
  control_->expect(cd, start.launch.request.rikey, ev);
  running_ = true;
  thread_ = std::thread([this, start, capture = std::move(media.capture)] { run(start, capture); });
  audio_thread_ =
      std::thread([this, start, sink = std::move(media.audio_sink)] { run_audio(start, sink); });
  return Status::ok();
}

void Streamer::release_input() {
  std::lock_guard in(input_mu_);
  const auto released = input_.release_all();
  InputSink sink;
  {
    std::lock_guard lock(mu_);
    sink = stream_input_ ? stream_input_ : sink_;
  }
  if (sink)
    for (const auto& e : released)
      sink(e);
}

void Streamer::send_rumble(uint16_t pad, uint16_t low, uint16_t high) {
  if (control_ && running_)
    control_->send(current_connect_data(), proto::gamestream::make_rumble(pad, low, high));
}

void Streamer::end(uint32_t reason) {
  std::lock_guard life(lifecycle_mu_);
  end_locked(reason);
}

void Streamer::end_locked(uint32_t reason) {
  if (!thread_.joinable())
    return;
  control_->terminate(current_connect_data(), reason);
  stop_ = true;
  thread_.join();
  if (audio_thread_.joinable())
    audio_thread_.join();
  release_input();
  running_ = false;
}

void Streamer::run(StreamStart start, CaptureOpener capture_opener) {
  const auto& sc = start.stream;
  auto finish = [this, &start](const std::string& why) {
    log_info("stream ended: {}", why);
    if (!stop_) {
      // A failure on our side: tell the client instead of leaving it waiting.
      log_warn("ending the session: {}", why);
      // Not graceful: Moonlight shows the code.
      control_->terminate(start.connect_data, 0x80030024);
    }
    stop_ = true;
    running_ = false;
  };
  // 1. The client's first video ping tells where to send.
  net::RecvBatch batch(8);
  net::Address client;
  const auto ping_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  auto read_pings = [&](int timeout_ms) {
    if (!video_->receive(batch, timeout_ms).is_ok())
      return;
    for (size_t i = 0; i < batch.size(); ++i) {
      const auto p = batch[i];
      if (p.size() >= 20 && std::memcmp(p.data(), start.ping_payload.data(),
                                        std::min<size_t>(16, start.ping_payload.size())) == 0) {
        if (!(client == batch.source(i)))
          log_info("video: client endpoint {}", batch.source(i).to_string());
        client = batch.source(i);
        std::lock_guard lock(mu_);
        ++stats_.pings;
        stats_.client_endpoint_known = true;
      }
    }
  };
  while (!client.valid() && !stop_ && std::chrono::steady_clock::now() < ping_deadline)
    read_pings(100);
  if (!client.valid())
    return finish(stop_ ? "stopped before the first video ping" : "no video ping within 10 s");

  // 2. Source, encoder, packetizer.
  const int w = sc.width & ~1, h = sc.height & ~1, fps = std::max(1, sc.fps);
  std::string fallback;
  auto source = open_session_source(capture_opener, w, h, fps, fallback);
  if (!fallback.empty())
    log_warn("video: {}; streaming the synthetic pattern", fallback);
  EncoderConfig ec;
  ec.width = w;
  ec.height = h;
  ec.fps = fps;
  ec.bitrate_kbps = std::max(500, sc.max_bitrate_kbps);
  auto encoder = X264Encoder::create(ec);
  if (!encoder)
    return finish("encoder: " + encoder.error().message());
  proto::gamestream::VideoSenderConfig vc;
  vc.packet_size = sc.packet_size;
  vc.fec_percent = 20;
  vc.min_parity = sc.min_fec_packets;
  vc.encrypt = sc.encryption & proto::gamestream::kEncryptVideo;
  vc.key = start.launch.request.rikey;
  auto sender = VideoSender::create(vc);
  if (!sender)
    return finish("video: " + sender.error().message());
  CaptureThread capture(std::move(source), fps);
  auto end = [&](const std::string& why) {
    const CaptureStats s = capture.stats();
    finish(fmt::format("{} ({} frames captured, {} skipped while the encoder was busy)", why,
                       s.captured, s.skipped));
  };
  log_info("video: streaming {} {}x{}@{} at {} kbit/s to {} ({}packet size {})",
           capture.source().describe(), w, h, fps, ec.bitrate_kbps, client.to_string(),
           vc.encrypt ? "encrypted, " : "", vc.packet_size);

  // 3. Frames at the client's rate, paced at 1.5x the bitrate (>= 100 Mbit/s).
  EncodedFrame au;
  RefInvalidation refs;
  const uint64_t pace_bps = std::max<uint64_t>(100'000'000, uint64_t(ec.bitrate_kbps) * 1500);
  for (uint32_t index = 1; !stop_;) {
    // The capture thread paces frames at the client's rate; the encoder takes
    // the newest one. Frame indices on the wire stay consecutive.
    const I420Frame* frame = capture.acquire(std::chrono::milliseconds(100));
    read_pings(0);
    if (!frame) {
      if (const std::string why = capture.failure(); !why.empty())
        return end("capture failed: " + why);
      continue;
    }
    const int64_t t0_ns = frame->capture_time_ns;
    bool idr = idr_.exchange(false);
    std::optional<proto::gamestream::InvalidateRefs> rfi;
    {
      std::lock_guard lock(mu_);
      rfi.swap(rfi_);
    }
    // An RFI: reference only frames before the loss (frame type 5), or an IDR
    // when that cannot work.
    bool after_rfi = false;
    if (rfi && !idr) {
      after_rfi = refs.invalidate(**encoder, rfi->first, rfi->last);
      idr = !after_rfi;
    }
    const Status encoded = (*encoder)->encode(*frame, idr, au);
    capture.release();
    if (!encoded.is_ok())
      return end("encode: " + encoded.message());
    refs.encoded(index, au.frame_index, au.keyframe);
    after_rfi = after_rfi && !au.keyframe;
    // Host processing latency in 0.1 ms (capture -> encoded), for the client's stats.
    const int64_t latency = (SteadyClock::instance().now_ns() - t0_ns) / 100'000;
    auto packets =
        (*sender)->packetize(au.data, index, static_cast<uint32_t>(uint64_t(t0_ns) * 9 / 100'000),
                             au.keyframe ? FrameType::kIdr
                             : after_rfi ? FrameType::kPAfterRfi
                                         : FrameType::kP,
                             static_cast<uint16_t>(std::min<int64_t>(latency, 65535)));
    if (!packets)
      return end("video: " + packets.error().message());
    const auto plan = session::plan_pacing(packets->size(), (*sender)->datagram_bytes(), pace_bps);
    const auto tsend = std::chrono::steady_clock::now();
    for (size_t g = 0; g < plan.groups; ++g) {
      if (g > 0)
        std::this_thread::sleep_until(tsend + std::chrono::nanoseconds(plan.offset_ns(g)));
      const size_t first = g * plan.packets_per_group;
      (void)video_->send(
          packets->subspan(first, std::min(plan.packets_per_group, packets->size() - first)),
          &client);
    }
    ++index;
    std::lock_guard lock(mu_);
    ++stats_.frames;
    stats_.rfi_honoured += after_rfi ? 1 : 0;
    stats_.datagrams += packets->size();
  }
  stop_ = true;  // the audio thread follows the video thread
  end("stopped");
}

void Streamer::run_audio(StreamStart start, std::string sink) {
  const auto& sc = start.stream;
  net::RecvBatch batch(4);
  net::Address client;
  auto read_pings = [&](int timeout_ms) {
    if (!audio_->receive(batch, timeout_ms).is_ok())
      return;
    for (size_t i = 0; i < batch.size(); ++i) {
      const auto p = batch[i];
      if (p.size() >= 20 && start.ping_payload.size() == 16 &&
          std::memcmp(p.data(), start.ping_payload.data(), 16) == 0) {
        client = batch.source(i);
        std::lock_guard lock(mu_);
        ++stats_.audio_pings;
      }
    }
  };
  while (!client.valid() && !stop_)
    read_pings(100);
  if (!client.valid())
    return;
  auto encoder = OpusAudioEncoder::create(sc.audio_channels, sc.audio_packet_ms);
  if (!encoder) {
    log_warn("audio: {}", encoder.error().message());
    return;
  }
  proto::gamestream::AudioSenderConfig ac;
  ac.packet_ms = sc.audio_packet_ms;
  ac.encrypt = sc.encryption & proto::gamestream::kEncryptAudio;
  ac.key = start.launch.request.rikey;
  ac.rikeyid = static_cast<uint32_t>(start.launch.request.rikeyid);
  proto::gamestream::AudioSender sender(ac);
  std::unique_ptr<PwAudioCapture> capture;
  if (audio_source_ == AudioSource::kDesktop) {
    PwAudioCapture::Options co;
    co.channels = sc.audio_channels;
    co.default_sink_monitor = capture_default_monitor_;
    co.make_default = capture_make_default_;
    if (!sink.empty())
      co.sink_name = sink;
    auto c = PwAudioCapture::start(co);
    if (c)
      capture = std::move(*c);
    else
      log_warn("audio: {}", c.error().message());
  }
  log_info("audio: {} channels, {} ms Opus packets{} to {} ({})", sc.audio_channels,
           sc.audio_packet_ms, ac.encrypt ? ", encrypted" : "", client.to_string(),
           capture ? "desktop audio from PipeWire" : "a 440 Hz test tone");
  const auto interval = std::chrono::milliseconds(sc.audio_packet_ms);
  auto next = std::chrono::steady_clock::now();
  const size_t samples = static_cast<size_t>((*encoder)->samples_per_packet());
  std::vector<float> pcm(samples * static_cast<size_t>(sc.audio_channels));
  while (!stop_) {
    if (capture) {
      // PipeWire's clock paces the stream (the sink's monitor delivers
      // silence while nothing plays); if the graph stalls, keep the client
      // fed with silence.
      if (!capture->read(pcm.data(), samples, std::chrono::milliseconds(100)))
        std::fill(pcm.begin(), pcm.end(), 0.0f);
    } else {
      std::this_thread::sleep_until(next);
      next += interval;
      pcm = (*encoder)->tone();
    }
    read_pings(0);
    auto opus = (*encoder)->encode(pcm);
    if (!opus) {
      log_warn("audio: {}", opus.error().message());
      return;
    }
    const auto datagrams = sender.packetize(*opus);
    std::vector<std::span<const uint8_t>> spans(datagrams.begin(), datagrams.end());
    (void)audio_->send(spans, &client);
    std::lock_guard lock(mu_);
    ++stats_.audio_packets;
  }
}

}  // namespace pf::host::gamestream
