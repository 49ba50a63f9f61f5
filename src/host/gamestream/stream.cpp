// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/gamestream/stream.h"

#include <chrono>
#include <cstring>

#include <fmt/format.h>

#include "base/clock.h"
#include "base/log.h"
#include "host/audio/opus_encoder.h"
#include "host/audio/pw_capture.h"
#include "host/capture/capture_thread.h"
#include "host/encode/encoder_factory.h"
#include "host/encode/encoder_settings.h"
#include "host/encode/ref_invalidation.h"
#include "proto/gamestream/audio.h"
#include "proto/gamestream/control.h"
#include "proto/gamestream/video.h"
#include "session/pacing.h"

namespace pf::host::gamestream {

using proto::gamestream::FrameType;
using proto::gamestream::VideoSender;

namespace {

// 0x010e: HDR on, with the picture's mastering display and light levels.
proto::gamestream::ControlMessage hdr_mode_message(const HdrMetadata& m) {
  proto::gamestream::HdrMetadata g;
  g.primaries = {{{m.red_x, m.red_y}, {m.green_x, m.green_y}, {m.blue_x, m.blue_y}}};
  g.white_point = {m.white_x, m.white_y};
  g.max_luminance = m.max_luminance;
  g.min_luminance = m.min_luminance;
  g.max_cll = m.max_cll;
  g.max_fall = m.max_fall;
  g.max_full_frame = m.max_fall;  // no separate figure: the frame-average level
  return proto::gamestream::make_hdr_mode(true, g);
}

}  // namespace

Result<std::unique_ptr<Stream>> Stream::start(const StreamContext& context,
                                              const StreamStart& start,
                                              StreamMedia media) {
  std::unique_ptr<Stream> s(new Stream(context, start));
  auto video = context.video->duplicate();
  if (!video)
    return tl::unexpected(video.error());
  auto audio = context.audio->duplicate();
  if (!audio)
    return tl::unexpected(audio.error());
  s->video_ = std::make_unique<net::UdpSocket>(std::move(*video));
  s->audio_ = std::make_unique<net::UdpSocket>(std::move(*audio));
  s->input_sink_ = media.input ? std::move(media.input) : context.input;
  s->on_ended_ = std::move(media.on_ended);
  context.video_pings->watch(start.ping_payload);
  context.audio_pings->watch(start.ping_payload);
  context.control->expect(start.connect_data, start.launch.request.rikey, s->control_events());
  s->running_ = true;
  Stream* self = s.get();
  s->video_thread_ = std::thread([self, c = std::move(media.capture)] { self->run_video(c); });
  s->audio_thread_ =
      std::thread([self, sink = std::move(media.audio_sink), exists = media.audio_sink_exists] {
        self->run_audio(sink, exists);
      });
  return s;
}

Stream::~Stream() {
  stop(proto::gamestream::kTerminateGraceful);
}

StreamerStats Stream::stats() const {
  std::lock_guard lock(mu_);
  StreamerStats s = stats_;
  s.pings = ctx_.video_pings->pings(start_.ping_payload);
  s.audio_pings = ctx_.audio_pings->pings(start_.ping_payload);
  s.client_endpoint_known = ctx_.video_pings->endpoint(start_.ping_payload).valid();
  s.rtt_ms = ctx_.control->rtt_ms(start_.connect_data);
  s.bitrate_kbps = std::max(500, start_.stream.max_bitrate_kbps);
  return s;
}

ControlEvents Stream::control_events() {
  guard_->stream = this;
  ControlEvents ev;
  ev.on_idr_request = guarded([](Stream& s) {
    s.idr_ = true;
    std::lock_guard lock(s.mu_);
    ++s.stats_.idr_requests;
  });
  ev.on_rfi = guarded([](Stream& s, const proto::gamestream::InvalidateRefs& r) {
    std::lock_guard lock(s.mu_);
    ++s.stats_.rfi_requests;
    // Overlapping requests: invalidating from the oldest covers them all.
    if (!s.rfi_ || r.first < s.rfi_->first)
      s.rfi_ = r;
  });
  ev.on_input = guarded([](Stream& s, std::span<const uint8_t> packet) { s.on_input(packet); });
  ev.on_fec_status = guarded([](Stream& s, const proto::gamestream::FecStatus& f) {
    const uint32_t total = uint32_t{f.data_packets} + f.parity_packets;
    const uint32_t got = uint32_t{f.received_data} + f.received_parity;
    std::lock_guard lock(s.mu_);
    s.stats_.reported_lost += total > got ? total - got : 0;
  });
  ev.on_ended = guarded([](Stream& s, const std::string&) {
    s.release_input();  // nothing stays pressed after the client is gone
    s.stop_ = true;
  });
  return ev;
}

void Stream::on_input(std::span<const uint8_t> packet) {
  std::lock_guard in(input_mu_);
  auto events = input_.translate(packet);
  // A pad sends its motion sensors only when asked (0x5501): a PlayStation
  // pad's go to the host's DualSense-style pad, at kMotionRateHz.
  for (const auto& e : events)
    if (e.kind == static_cast<uint8_t>(proto::native::InputKind::kGamepadArrival) &&
        (e.code & 0xFFFF) == static_cast<uint32_t>(proto::native::GamepadType::kPlayStation))
      for (const auto& [cap, sensor] :
           {std::pair{proto::native::kCapAccel, proto::native::kSensorAccel},
            std::pair{proto::native::kCapGyro, proto::native::kSensorGyro}})
        if (e.flags & cap)
          ctx_.control->send(start_.connect_data, proto::gamestream::make_set_motion_event(
                                                      static_cast<uint16_t>(e.code >> 16),
                                                      kMotionRateHz, static_cast<uint8_t>(sensor)));
  // The same bound as punktfunk/1 sessions: floods dropped, releases kept.
  const int64_t now = SteadyClock::instance().now_ns();
  const size_t before = events.size();
  std::erase_if(events, [&](const proto::native::InputDatagram& e) {
    return !input_limit_.take(now) && !proto::native::is_release(e);
  });
  {
    std::lock_guard lock(mu_);
    stats_.input_events += events.size();
    stats_.input_rate_limited += before - events.size();
  }
  if (input_sink_)
    for (const auto& e : events)
      input_sink_(e);
}

void Stream::release_input() {
  std::lock_guard in(input_mu_);
  if (input_sink_)
    for (const auto& e : input_.release_all())
      input_sink_(e);
}

void Stream::send_rumble(uint16_t pad, uint16_t low, uint16_t high) {
  if (running_)
    ctx_.control->send(start_.connect_data, proto::gamestream::make_rumble(pad, low, high));
}

void Stream::stop(uint32_t reason) {
  {
    std::lock_guard lock(guard_->mu);  // no control event reaches it from now on
    guard_->stream = nullptr;
  }
  if (!video_thread_.joinable())
    return;
  stopped_by_host_ = true;
  ctx_.control->terminate(start_.connect_data, reason);
  stop_ = true;
  video_thread_.join();
  if (audio_thread_.joinable())
    audio_thread_.join();
  release_input();
  ctx_.video_pings->forget(start_.ping_payload);
  ctx_.audio_pings->forget(start_.ping_payload);
  running_ = false;
}

void Stream::finish(const std::string& why) {
  log_info("stream ended: {}", why);
  const bool on_its_own = !stopped_by_host_;
  if (!stop_) {
    // A failure on our side: tell the client instead of leaving it waiting.
    log_warn("ending the session: {}", why);
    // Not graceful: Moonlight shows the code.
    ctx_.control->terminate(start_.connect_data, 0x80030024);
  }
  stop_ = true;  // the audio thread follows; stop() or the destructor joins it
  running_ = false;
  if (on_its_own && on_ended_)
    on_ended_();
}

void Stream::run_video(CaptureOpener capture_opener) {
  const auto& sc = start_.stream;
  // 1. The client's first video ping tells where to send.
  net::Address client = ctx_.video_pings->wait(
      start_.ping_payload, std::chrono::steady_clock::now() + std::chrono::seconds(10), stop_);
  if (!client.valid())
    return finish(stop_ ? "stopped before the first video ping" : "no video ping within 10 s");

  // 2. Source, encoder, packetizer.
  const int w = sc.width & ~1, h = sc.height & ~1, fps = std::max(1, sc.fps);
  std::string fallback;
  auto source = open_session_source(capture_opener, w, h, fps, fallback, sc.hdr);
  if (!fallback.empty())
    log_warn("video: {}; streaming the synthetic pattern", fallback);
  EncoderConfig ec;
  ec.width = w;
  ec.height = h;
  ec.fps = fps;
  ec.bitrate_kbps = std::max(500, sc.max_bitrate_kbps);
  // The codec the client chose in ANNOUNCE among those DESCRIBE offered.
  ec.codec = sc.codec == proto::gamestream::StreamCodec::kHevc  ? VideoCodec::kHevc
             : sc.codec == proto::gamestream::StreamCodec::kAv1 ? VideoCodec::kAv1
                                                                : VideoCodec::kH264;
  ec.chroma_444 = sc.yuv444;  // ANNOUNCE asks only for what serverinfo offered
  // HDR (dynamicRangeMode 1, offered only where the picture is HDR): HEVC Main10 BT.2020 PQ.
  ec.hdr_metadata = sc.hdr ? source->hdr_metadata() : std::nullopt;
  ec.hdr = ec.hdr_metadata.has_value();
  ec.bit_depth = ec.hdr ? 10 : 8;
  if (sc.hdr && !ec.hdr)
    log_warn("video: '{}' asked for HDR but {} is SDR: streaming SDR", start_.launch.client_name,
             source->describe());
  auto encoder = create_video_encoder(ec);
  if (!encoder)
    return finish("encoder: " + encoder.error().message());
  proto::gamestream::VideoSenderConfig vc;
  vc.packet_size = sc.packet_size;
  vc.fec_percent = 20;
  vc.min_parity = sc.min_fec_packets;
  vc.encrypt = sc.encryption & proto::gamestream::kEncryptVideo;
  vc.key = start_.launch.request.rikey;
  auto sender = VideoSender::create(vc);
  if (!sender)
    return finish("video: " + sender.error().message());
  CaptureThread capture(std::move(source), fps,
                        ec.chroma_444 ? ChromaSampling::k444 : ChromaSampling::k420);
  auto end = [&](const std::string& why) {
    const CaptureStats s = capture.stats();
    finish(fmt::format("{} ({} frames captured, {} skipped while the encoder was busy)", why,
                       s.captured, s.skipped));
  };
  {
    std::lock_guard lock(mu_);
    stats_.codec = to_string(ec.codec);
    stats_.chroma = ec.chroma_444 ? "4:4:4" : "4:2:0";
    stats_.encoder = (*encoder)->name();
  }
  log_info("video: streaming {} {}x{}@{} as {}{} by {} at {} kbit/s to {} ({}packet size {})",
           capture.source().describe(), w, h, fps, to_string(ec.codec),
           ec.chroma_444 ? " 4:4:4" : "", (*encoder)->name(), ec.bitrate_kbps, client.to_string(),
           vc.encrypt ? "encrypted, " : "", vc.packet_size);

  // 3. Frames at the client's rate, paced at 1.5x the bitrate (>= 100 Mbit/s).
  EncodedFrame au;
  RefInvalidation refs;
  bool hdr_told = false;  // the client has its 0x010e
  const uint64_t pace_bps = std::max<uint64_t>(100'000'000, uint64_t(ec.bitrate_kbps) * 1500);
  for (uint32_t index = 1; !stop_;) {
    // The capture thread paces frames at the client's rate; the encoder takes
    // the newest one. Frame indices on the wire stay consecutive.
    const YuvFrame* frame = capture.acquire(std::chrono::milliseconds(100));
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
    if (ec.hdr && !hdr_told && ctx_.control->connected(start_.connect_data)) {
      // 0x010e once the control stream is up: HDR on, with the source's metadata.
      ctx_.control->send(start_.connect_data, hdr_mode_message(*ec.hdr_metadata));
      hdr_told = true;
    }
    const Status encoded = (*encoder)->encode(*frame, idr, au);
    capture.release();
    if (!encoded.is_ok())
      return end("encode: " + encoded.message());
    refs.encoded(index, au.frame_index, au.keyframe, au.gap_hazard);
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
    // The client's newest endpoint (it may move, e.g. a NAT rebinding).
    if (const auto now = ctx_.video_pings->endpoint(start_.ping_payload); now.valid())
      client = now;
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
    if (const auto now = std::chrono::steady_clock::now();
        now - window_start_ >= std::chrono::seconds(2)) {
      const uint64_t sent = stats_.datagrams - window_sent_;
      stats_.loss_percent =
          sent ? 100.0 * double(stats_.reported_lost - window_lost_) / double(sent) : 0;
      window_start_ = now;
      window_sent_ = stats_.datagrams;
      window_lost_ = stats_.reported_lost;
    }
  }
  end("stopped");
}

void Stream::run_audio(std::string sink, bool sink_exists) {
  const auto& sc = start_.stream;
  // No deadline of its own: the video thread gives up after 10 s and sets stop_.
  net::Address client = ctx_.audio_pings->wait(start_.ping_payload,
                                               std::chrono::steady_clock::time_point::max(), stop_);
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
  ac.key = start_.launch.request.rikey;
  ac.rikeyid = static_cast<uint32_t>(start_.launch.request.rikeyid);
  proto::gamestream::AudioSender sender(ac);
  std::unique_ptr<PwAudioCapture> capture;
  if (ctx_.audio_source == AudioSource::kDesktop) {
    PwAudioCapture::Options co;
    co.channels = sc.audio_channels;
    co.default_sink_monitor = ctx_.default_sink_monitor;
    co.make_default = ctx_.make_default_sink;
    if (!sink.empty())
      co.sink_name = sink;
    co.create_sink = !sink_exists;
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
    if (const auto now = ctx_.audio_pings->endpoint(start_.ping_payload); now.valid())
      client = now;
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
