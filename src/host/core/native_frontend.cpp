// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/core/native_frontend.h"

#include <array>

#include <fmt/format.h>

#include "base/log.h"
#include "host/vdisplay/display_factory.h"
#include "net/quic/quic.h"

namespace pf::host {

namespace nat = native;

NativeFrontend::NativeFrontend(const HostOptions& o, SessionManager& sessions, InputRouter input)
    : options_(o), sessions_(sessions), input_(std::move(input)) {}

NativeFrontend::~NativeFrontend() {
  service_.reset();  // every connection ends (Bye: host shutdown), media with it
  std::lock_guard lock(mu_);
  media_.clear();
}

Result<std::unique_ptr<NativeFrontend>> NativeFrontend::start(const HostOptions& o,
                                                              const Paths& paths,
                                                              const std::string& host_name,
                                                              const VideoEncoders& encoders,
                                                              SessionManager& sessions,
                                                              InputRouter input) {
  std::unique_ptr<NativeFrontend> f(new NativeFrontend(o, sessions, std::move(input)));
  nat::NativeServiceOptions no;
  auto bind = net::Address::parse(o.bind, o.native_port);
  if (!bind)
    return make_error(bind.error().code(), "--bind: " + bind.error().message());
  no.bind = *bind;
  no.state_dir = paths.state;
  no.host_name = host_name;
  f->encoders_ = encoders;
  // HEVC > AV1 > H.264, of what this host can encode.
  no.caps.codec_preference.clear();
  if (encoders.hevc)
    no.caps.codec_preference.push_back(pn::kCodecHevc);
  if (encoders.av1)
    no.caps.codec_preference.push_back(pn::kCodecAv1);
  no.caps.codec_preference.push_back(pn::kCodecH264);
  if (encoders.hevc_10bit)
    no.caps.ten_bit_codecs |= pn::kCodecHevc;  // Main10
  if (encoders.av1_10bit)
    no.caps.ten_bit_codecs |= pn::kCodecAv1;
  // HDR where the pictures are HDR: the synthetic source's HDR pattern (desktop captures are
  // SDR), through x265 Main10, which writes the metadata as SEI.
  if (o.native_synthetic && encoders.hevc_10bit && !encoders.hardware)
    no.caps.hdr_codecs = pn::kCodecHevc;
  no.caps.chroma_444_codecs = (encoders.h264_444 ? pn::kCodecH264 : 0) |
                              (encoders.hevc_444 ? pn::kCodecHevc : 0) |
                              (encoders.av1_444 ? pn::kCodecAv1 : 0);
  // The cursor channel where captures can leave the pointer out (X displays).
  if (!o.native_synthetic &&
      display_backend_separates_cursor(resolve_display_backend(o.display_backend)))
    no.caps.capabilities |= pn::kCapCursorChannel;
  auto ns = nat::NativeService::start(no, f->hooks());
  if (!ns)
    return make_error(ns.error().code(), "punktfunk/1: " + ns.error().message());
  f->service_ = std::move(*ns);
  return f;
}

nat::SessionHooks NativeFrontend::hooks() {
  nat::SessionHooks h;
  h.on_session_start = [this](const nat::SessionStart& st) { return on_start(st); };
  h.on_session_end = [this](uint32_t id, uint32_t reason) { on_end(id, reason); };
  h.on_input = [this](uint32_t id, const pn::InputDatagram& e) {
    std::optional<uint32_t> session;
    {
      std::lock_guard lock(mu_);
      if (auto it = media_.find(id); it != media_.end())
        session = it->second.session;
    }
    if (session)
      input_(*session, e);
  };
  h.on_mic = [this](uint32_t id, const pn::MicDatagram& m, int64_t captured) {
    mic_.push(id, m.seq, m.opus, captured);
  };
  h.on_control = [this](uint32_t id, const pn::ControlMessage& m) { on_control(id, m); };
  return h;
}

Result<std::shared_ptr<Session>> NativeFrontend::session_for(const nat::SessionStart& st) {
  const auto& w = st.welcome;
  const DisplayMode mode{w.width, w.height, (w.fps_x100 + 50) / 100};
  const std::string key = net::fingerprint_hex(st.client);
  // The device's lingering session (its last connection timed out) comes back.
  if (auto s = sessions_.find_client(Protocol::kPunktfunk, key);
      s && !s->info().streaming && s->display_alive()) {
    if (Status r = s->change_mode(mode); !r.is_ok())
      return tl::unexpected(r);
    log_info("session {:08x}: '{}' comes back", s->id(), st.client_name);
    return s;
  }
  SessionRequest r;
  r.protocol = Protocol::kPunktfunk;
  r.client_key = key;
  r.client_name = st.client_name;
  r.address = st.client_address;
  r.mode = mode;
  r.synthetic = options_.native_synthetic;
  r.audio_channels = st.hello.audio_channels;
  return sessions_.open(r);
}

Result<uint16_t> NativeFrontend::on_start(const nat::SessionStart& st) {
  auto session = session_for(st);
  if (!session)
    return tl::unexpected(session.error());
  const auto& s = *session;
  const auto& w = st.welcome;
  nat::NativeVideoParams vp;
  vp.session_id = st.session_id;
  vp.welcome = w;
  vp.host_to_client = st.host_to_client;
  vp.client_to_host = st.client_to_host;
  vp.capture = s->capture();
  vp.hardware = encoders_.hardware;
  auto video_bind = net::Address::parse(options_.bind, options_.native_video_port);
  if (!video_bind)
    return tl::unexpected(video_bind.error());
  vp.bind = *video_bind;
  vp.client_ip = st.client_address.substr(0, st.client_address.rfind(':'));
  vp.cursor_channel = (w.capabilities & pn::kCapCursorChannel) != 0;
  vp.send_control = [send = st.send_control](std::span<const uint8_t> b) {
    if (send)
      send(b);
  };
  vp.send_datagram = [send = st.send_datagram](std::span<const uint8_t> b) {
    if (send)
      send(b);
  };
  auto streamer = nat::NativeVideoStreamer::start(
      vp, [send = st.send_datagram](const pn::HostTimingDatagram& t) {
        std::array<uint8_t, 16> buf{};
        if (auto n = pn::encode_datagram(t, buf); n && send)
          send(std::span(buf).first(*n));
      });
  if (!streamer)
    return tl::unexpected(streamer.error());
  // Desktop audio from the session's own sink (the synthetic source comes
  // with the test tone instead).
  auto audio = nat::NativeAudioStreamer::start(
      st.session_id, st.hello.audio_channels, !options_.native_synthetic, st.send_datagram,
      options_.audio_default_monitor, options_.audio_make_default, s->audio_sink(), s->owns_sink());
  if (!audio)
    return tl::unexpected(audio.error());
  const uint16_t port = (*streamer)->port();
  log_info(
      "punktfunk/1 connection {:08x} streams session {:08x} ({}) at {}x{}@{:.2f}, video on "
      "UDP {}",
      st.session_id, s->id(),
      s->display_address().empty() ? "synthetic source" : "display " + s->display_address(),
      w.width, w.height, w.fps_x100 / 100.0, port);
  sessions_.set_streaming(s->id(), true);
  std::lock_guard lock(mu_);
  media_[st.session_id] = Media{s->id(),
                                std::move(*streamer),
                                std::move(*audio),
                                std::make_unique<session::FecAdapter>(w.fec_percent),
                                0,
                                w};
  return port;
}

void NativeFrontend::on_end(uint32_t native_id, uint32_t reason) {
  mic_.end_sender(native_id);  // another client may speak at once
  Media gone;
  {
    std::lock_guard lock(mu_);
    auto it = media_.find(native_id);
    if (it == media_.end())
      return;
    gone = std::move(it->second);
    media_.erase(it);
  }
  const uint32_t session = gone.session;
  gone = {};  // joins the streaming threads (at most about one frame)
  if (reason == nat::kByeTimeout) {
    // The client vanished without a Bye: its session lingers for a resume.
    sessions_.set_streaming(session, false);
    log_info("punktfunk/1 connection {:08x} timed out; session {:08x} is kept for {} s", native_id,
             session, sessions_.limits().linger_ns / 1'000'000'000);
    return;
  }
  sessions_.end(session, fmt::format("its punktfunk/1 connection ended (reason {})", reason));
}

std::optional<uint32_t> NativeFrontend::native_id_of(uint32_t session_id) {
  std::lock_guard lock(mu_);
  for (const auto& [id, m] : media_)
    if (m.session == session_id)
      return id;
  return std::nullopt;
}

void NativeFrontend::on_session_end(Session& s, const std::string& reason) {
  if (auto id = native_id_of(s.id()))
    service_->kick(*id, reason);  // its media goes with the connection (on_end)
}

void NativeFrontend::send_datagram(uint32_t session_id, std::span<const uint8_t> bytes) {
  if (auto id = native_id_of(session_id))
    service_->send_datagram(*id, bytes);
}

void NativeFrontend::on_control(uint32_t id, const pn::ControlMessage& m) {
  std::lock_guard lock(mu_);
  auto it = media_.find(id);
  if (it == media_.end())
    return;
  if (std::holds_alternative<pn::RequestIdr>(m))
    it->second.video->request_idr();
  else if (const auto* inv = std::get_if<pn::InvalidateRefs>(&m))
    it->second.video->invalidate_refs(inv->first, inv->last);
  else if (const auto* b = std::get_if<pn::SetBitrate>(&m))
    it->second.video->set_bitrate_kbps(b->kbps);
  else if (const auto* rr = std::get_if<pn::ReceiverReport>(&m))
    on_report(id, it->second, *rr);
}

void NativeFrontend::on_report(uint32_t id, Media& m, const pn::ReceiverReport& rr) {
  // FEC follows the loss the client sees; the client hears about it (SetFec).
  session::LossReport lr;
  lr.frames_received = rr.frames_received;
  lr.frames_lost = rr.frames_lost;
  lr.shards_lost = rr.shards_lost;
  lr.shards_recovered = rr.shards_recovered;
  // Sent since the last report, minus what the client missed, is what it received.
  const uint64_t sent = m.video->stats().packets;
  const uint64_t delta = sent - m.packets_at_last_report;
  m.packets_at_last_report = sent;
  lr.packets_received = static_cast<uint32_t>(delta > rr.shards_lost ? delta - rr.shards_lost : 0);
  const unsigned before = m.fec->percent();
  const unsigned after = m.fec->on_report(lr);
  if (after == before)
    return;
  m.video->set_fec_percent(static_cast<uint8_t>(after));
  service_->send(id, pn::SetFec{static_cast<uint8_t>(after)});
  log_info("punktfunk/1 connection {:08x}: FEC {}% -> {}% (loss {:.2f}%)", id, before, after,
           m.fec->last_loss() * 100);
}

nlohmann::json NativeFrontend::stats(uint32_t session_id) {
  nlohmann::json j = nlohmann::json::object();
  std::optional<uint32_t> native_id;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, m] : media_) {
      if (m.session != session_id)
        continue;
      native_id = id;
      const auto v = m.video->stats();
      j = {{"codec", v.codec},
           {"encoder", v.encoder},
           {"chroma", v.chroma},
           {"bit_depth", v.bit_depth},
           {"bitrate_kbps", m.welcome.initial_bitrate_kbps},
           {"fec_percent", m.fec ? m.fec->percent() : m.welcome.fec_percent},
           {"loss_percent", m.fec ? m.fec->last_loss() * 100 : 0.0},
           {"frames", v.frames},
           {"keyframes", v.keyframes},
           {"recovery_frames", v.recovery_frames}};
    }
  }
  // Outside mu_: the QUIC side has its own lock.
  if (native_id)
    if (auto rtt = service_->rtt_ns(*native_id))
      j["rtt_ms"] = static_cast<double>(*rtt) / 1e6;
  if (native_id)
    if (const auto m = mic_.sender_stats(*native_id); m.packets > 0)
      j["mic"] = {{"packets", m.packets},
                  {"played", m.played},
                  {"late", m.late},
                  {"not_speaker", m.not_speaker}};
  return j;
}

}  // namespace pf::host
