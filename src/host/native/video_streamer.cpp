// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/native/video_streamer.h"

#include <pthread.h>

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "base/clock.h"
#include "base/log.h"
#include "host/capture/capture_thread.h"
#include "host/capture/session_source.h"
#include "host/encode/encoder_factory.h"
#include "host/encode/ref_invalidation.h"
#include "host/native/cursor_forwarder.h"
#include "proto/native/negotiation.h"
#include "proto/native/probe.h"
#include "session/pacing.h"
#include "session/packetizer.h"

namespace pf::host::native {

struct NativeVideoStreamer::Probe {
  explicit Probe(pn::ProbeCodec c) : codec(std::move(c)) {}
  pn::ProbeCodec codec;
  net::RecvBatch batch{16};
};

Result<std::unique_ptr<NativeVideoStreamer>> NativeVideoStreamer::start(
    const NativeVideoParams& params,
    TimingSink timing) {
  std::unique_ptr<NativeVideoStreamer> s(new NativeVideoStreamer());
  s->params_ = params;
  s->timing_ = std::move(timing);
  s->bitrate_kbps_ = params.welcome.initial_bitrate_kbps;
  s->fec_percent_ = params.welcome.fec_percent;
  if (params.welcome.codec != pn::kCodecH264 && params.welcome.codec != pn::kCodecHevc &&
      params.welcome.codec != pn::kCodecAv1)
    return make_error(StatusCode::kUnimplemented,
                      "punktfunk/1 video is H.264, HEVC or AV1 in this version");
  auto probe = pn::ProbeCodec::create(params.welcome.cipher, params.client_to_host);
  if (!probe)
    return tl::unexpected(probe.error());
  s->probe_ = std::make_unique<Probe>(std::move(*probe));
  net::UdpOptions uo;
  uo.gro = false;  // only small probes come in
  auto sock = net::UdpSocket::open(params.bind, uo);
  if (!sock)
    return tl::unexpected(sock.error());
  s->socket_ = std::make_unique<net::UdpSocket>(std::move(*sock));
  s->port_ = s->socket_->local_address().port();
  NativeVideoStreamer* self = s.get();
  s->thread_ = std::thread([self] {
    pthread_setname_np(pthread_self(), "pf-native-video");
    self->run();
  });
  return s;
}

NativeVideoStreamer::~NativeVideoStreamer() {
  stop_ = true;
  if (thread_.joinable())
    thread_.join();
}

void NativeVideoStreamer::invalidate_refs(uint32_t first, uint32_t last) {
  std::lock_guard lock(mu_);
  ++stats_.invalidations;
  // Requests before the next frame: invalidating from the oldest covers them all.
  if (!invalidate_ || first < invalidate_->first)
    invalidate_ = std::make_pair(first, std::max(last, invalidate_ ? invalidate_->second : last));
}

int64_t NativeVideoStreamer::send_paced(std::span<const std::span<const uint8_t>> packets,
                                        size_t packet_bytes,
                                        uint32_t bitrate_kbps) {
  net::Address to;
  {
    std::lock_guard lock(mu_);
    to = client_;
  }
  // Paced in groups (protocol section 4) at 4x the bitrate, at least 500 Mbit/s: enough
  // to smooth bursts into a receiver's buffers, while a frame still leaves well within
  // a millisecond at typical rates (pacing time is latency).
  const uint64_t pace_bps = std::max<uint64_t>(500'000'000, uint64_t{bitrate_kbps} * 4000);
  const auto plan = session::plan_pacing(packets.size(), packet_bytes, pace_bps);
  const auto tsend = std::chrono::steady_clock::now();
  // "Sent" is when the frame's first packet leaves: packetizing, FEC and
  // sealing are behind it; pacing and the network are the next stage.
  const int64_t sent_ns = SteadyClock::instance().now_ns();
  for (size_t g = 0; g < plan.groups; ++g) {
    if (g > 0)
      std::this_thread::sleep_until(tsend + std::chrono::nanoseconds(plan.offset_ns(g)));
    const size_t at = g * plan.packets_per_group;
    (void)socket_->send(packets.subspan(at, std::min(plan.packets_per_group, packets.size() - at)),
                        &to);
  }
  return sent_ns;
}

NativeVideoStats NativeVideoStreamer::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

std::string NativeVideoStreamer::stopped_reason() const {
  std::lock_guard lock(mu_);
  return stopped_;
}

void NativeVideoStreamer::read_probes(int timeout_ms) {
  if (!socket_->receive(probe_->batch, timeout_ms).is_ok())
    return;
  for (size_t i = 0; i < probe_->batch.size(); ++i) {
    const net::Address from = probe_->batch.source(i);
    std::string ip = from.to_string();
    ip = ip.substr(0, ip.rfind(':'));
    const bool ok = (params_.client_ip.empty() || ip == params_.client_ip ||
                     "[" + params_.client_ip + "]" == ip) &&
                    probe_->codec.open(probe_->batch[i], params_.session_id).has_value();
    std::lock_guard lock(mu_);
    if (!ok) {
      ++stats_.probes_rejected;
      continue;
    }
    ++stats_.probes;
    if (!(client_ == from))
      log_info("punktfunk/1 video {:08x}: client endpoint {}", params_.session_id,
               from.to_string());
    client_ = from;
    stats_.client_known = true;
  }
}

namespace {

// The encoder the Welcome settled: codec, bit depth, chroma, and HDR when
// granted and the source's pictures are HDR.
EncoderConfig encoder_config(const pn::Welcome& w,
                             int width,
                             int height,
                             int fps,
                             uint32_t bitrate_kbps,
                             const VideoSource& source) {
  EncoderConfig ec;
  ec.width = width;
  ec.height = height;
  ec.fps = fps;
  ec.bitrate_kbps = static_cast<int>(std::max<uint32_t>(500, bitrate_kbps));
  ec.codec = w.codec == pn::kCodecHevc  ? VideoCodec::kHevc
             : w.codec == pn::kCodecAv1 ? VideoCodec::kAv1
                                        : VideoCodec::kH264;
  ec.bit_depth = (w.capabilities & pn::kCap10Bit) ? 10 : 8;
  ec.chroma_444 = (w.capabilities & pn::kCap444) != 0;
  ec.hdr_metadata = (w.capabilities & pn::kCapHdr) ? source.hdr_metadata() : std::nullopt;
  ec.hdr = ec.hdr_metadata.has_value();
  return ec;
}

}  // namespace

void NativeVideoStreamer::run() {
  auto finish = [this](const std::string& why) {
    log_info("punktfunk/1 video {:08x}: {}", params_.session_id, why);
    std::lock_guard lock(mu_);
    stopped_ = why;
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (client_.valid())
        break;
    }
    if (stop_)
      return finish("stopped before the client's probe");
    if (std::chrono::steady_clock::now() > deadline)
      return finish("no authenticated probe from the client within 10 s");
    read_probes(100);
  }

  const auto& w = params_.welcome;
  const int width = w.width & ~1, height = w.height & ~1;
  const int fps = std::max(1, (w.fps_x100 + 50) / 100);
  std::string fallback;
  const bool hdr = (w.capabilities & pn::kCapHdr) != 0;
  auto source = open_session_source(params_.capture, width, height, fps, fallback, hdr);
  if (!fallback.empty())
    log_warn("punktfunk/1 video {:08x}: {}; streaming the synthetic pattern", params_.session_id,
             fallback);
  std::optional<CursorForwarder> cursor;  // the cursor channel, when granted and possible
  if (params_.cursor_channel && source->separate_cursor())
    cursor.emplace(params_.send_control, params_.send_datagram);
  else if (params_.cursor_channel)
    log_warn("punktfunk/1 video {:08x}: {} cannot leave the pointer out: it stays in the picture",
             params_.session_id, source->describe());
  const EncoderConfig ec = encoder_config(w, width, height, fps, bitrate_kbps_.load(), *source);
  if (hdr && !ec.hdr)
    log_warn("punktfunk/1 video {:08x}: HDR was granted but {} is SDR: streaming SDR",
             params_.session_id, source->describe());
  auto encoder = create_video_encoder(ec, params_.hardware);
  if (!encoder)
    return finish("encoder: " + encoder.error().message());
  session::PacketizerConfig pc;
  pc.shard_bytes = w.shard_bytes;
  pc.fec_percent = fec_percent_;
  pc.cipher = w.cipher == pn::kCipherChaCha20 ? crypto::AeadAlgorithm::kChaCha20Poly1305
                                              : crypto::AeadAlgorithm::kAes128Gcm;
  pc.key = pn::cipher_key(params_.host_to_client, w.cipher);
  pc.iv_base = params_.host_to_client.iv_base;
  auto packetizer = session::Packetizer::create(pc);
  if (!packetizer)
    return finish("packetizer: " + packetizer.error().message());
  CaptureThread capture(std::move(source), fps,
                        ec.chroma_444 ? ChromaSampling::k444 : ChromaSampling::k420);
  auto end = [&](const std::string& why) {
    const CaptureStats s = capture.stats();
    const NativeVideoStats v = stats();
    finish(
        fmt::format("{} ({} frames captured, {} skipped while the encoder was busy; {} "
                    "keyframes, {} recovery frames for {} invalidations)",
                    why, s.captured, s.skipped, v.keyframes, v.recovery_frames, v.invalidations));
  };
  {
    std::lock_guard lock(mu_);
    stats_.codec = to_string(ec.codec);
    stats_.chroma = ec.chroma_444 ? "4:4:4" : "4:2:0";
    stats_.bit_depth = ec.bit_depth;
    stats_.encoder = (*encoder)->name();
  }
  log_info("punktfunk/1 video {:08x}: {} {}x{}@{} {} by {} at {} kbit/s, FEC {}%, shards {} B{}{}",
           params_.session_id, capture.source().describe(), width, height, fps, to_string(ec.codec),
           (*encoder)->name(), ec.bitrate_kbps, pc.fec_percent, pc.shard_bytes,
           ec.bit_depth == 10 ? (ec.hdr ? ", 10-bit HDR" : ", 10-bit") : "",
           ec.chroma_444 ? ", 4:4:4" : "");

  EncodedFrame au;
  RefInvalidation refs;
  uint32_t bitrate = bitrate_kbps_;
  bool first = true;
  for (uint32_t index = 1; !stop_;) {
    // The capture thread paces frames at the session's rate; the encoder
    // takes the newest one.
    const YuvFrame* frame = capture.acquire(std::chrono::milliseconds(100));
    read_probes(0);
    if (!frame) {
      if (const std::string why = capture.failure(); !why.empty())
        return end("capture failed: " + why);
      continue;
    }
    if (const uint32_t b = bitrate_kbps_; b != bitrate && b > 0) {
      bitrate = b;
      (*encoder)->set_bitrate(static_cast<int>(b));
    }
    (*packetizer)->set_fec_percent(fec_percent_);
    const int64_t t0 = frame->capture_time_ns;
    bool idr = idr_.exchange(false) || first;
    first = false;
    std::optional<std::pair<uint32_t, uint32_t>> lost;
    {
      std::lock_guard lock(mu_);
      lost.swap(invalidate_);
    }
    bool recovery = false;
    if (lost && !idr) {
      recovery = refs.invalidate(**encoder, lost->first, lost->second);
      idr = !recovery;
    }
    if (cursor)
      cursor->on_frame(index, frame->cursor);  // the pointer goes ahead of its picture
    if (idr && ec.hdr && frame->hdr)           // before the stream's first frame and every keyframe
      send_hdr_metadata(*frame->hdr);
    const Status encoded = (*encoder)->encode(*frame, idr, au);
    capture.release();
    if (!encoded.is_ok())
      return end("encode: " + encoded.message());
    refs.encoded(index, au.frame_index, au.keyframe, au.gap_hazard);
    recovery = recovery && !au.keyframe;
    const int64_t t1 = SteadyClock::instance().now_ns();
    session::VideoFrame vf;
    vf.data = au.data;
    vf.frame_index = index;
    vf.capture_us = static_cast<uint64_t>(t0 / 1000);
    vf.keyframe = au.keyframe;
    vf.recovery = recovery;
    auto packets = (*packetizer)->packetize(vf);
    if (!packets)
      return end("packetize: " + packets.error().message());
    const int64_t t2 = send_paced(*packets, (*packetizer)->packet_bytes(), bitrate);
    if (timing_)
      timing_(pn::HostTimingDatagram{index, static_cast<uint32_t>((t1 - t0) / 1000),
                                     static_cast<uint32_t>((t2 - t1) / 1000)});
    ++index;
    std::lock_guard lock(mu_);
    ++stats_.frames;
    stats_.packets += packets->size();
    stats_.keyframes += au.keyframe ? 1 : 0;
    stats_.recovery_frames += recovery ? 1 : 0;
  }
  end("stopped");
}

void NativeVideoStreamer::send_hdr_metadata(const HdrMetadata& m) {
  if (!params_.send_control)
    return;
  pn::HdrMetadata msg;
  msg.values = {m.red_x,   m.red_y,   m.green_x,       m.green_y,       m.blue_x,  m.blue_y,
                m.white_x, m.white_y, m.max_luminance, m.min_luminance, m.max_cll, m.max_fall};
  params_.send_control(pn::encode_control(msg));
}

}  // namespace pf::host::native
