// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/core/host.h"
#include "host/core/video_offer.h"

#include <ifaddrs.h>
#include <malloc.h>
#include <netdb.h>
#include <netinet/in.h>
#include <unistd.h>

#include <array>

#include <fmt/format.h>

#include "base/clock.h"
#include "base/log.h"
#include "crypto/pki.h"
#include "host/app/doctor.h"
#include "host/audio/pw_sink.h"
#include "host/encode/encoder_factory.h"
#include "host/input/libei_injector.h"
#include "host/input/uinput_backend.h"
#include "host/input/uinput_injector.h"
#include "host/vdisplay/xvfb_display.h"

namespace pf::host {

namespace gs = gamestream;

namespace {

std::string machine_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0 || !buf[0])
    return "punktfunk";
  return buf;
}

// IPv4 addresses of the up, non-loopback interfaces (for "add by IP").
std::vector<std::string> lan_addresses() {
  std::vector<std::string> out;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0)
    return out;
  for (ifaddrs* i = list; i; i = i->ifa_next) {
    if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET)
      continue;
    char buf[NI_MAXHOST];
    if (getnameinfo(i->ifa_addr, sizeof(sockaddr_in), buf, sizeof buf, nullptr, 0,
                    NI_NUMERICHOST) == 0 &&
        std::string(buf).rfind("127.", 0) != 0)
      out.emplace_back(buf);
  }
  freeifaddrs(list);
  return out;
}

// How input reaches a session's display: its own way in, or uinput/libei
// when configured (for desktops the host has no API for).
InputOpener input_opener(const std::string& input) {
  if (input == "uinput")
    return [](VirtualDisplay&) -> Result<std::unique_ptr<InputInjector>> {
      if (const auto v = UinputBackend::probe(); !v.available)
        return make_error(StatusCode::kUnavailable, v.reason);
      return std::unique_ptr<InputInjector>(
          std::make_unique<UinputInjector>(std::make_unique<UinputBackend>()));
    };
  if (input == "libei")
    return [](VirtualDisplay&) -> Result<std::unique_ptr<InputInjector>> {
      auto api = EiApi::load();
      if (!api)
        return tl::unexpected(api.error());
      auto ei = LibeiInjector::open(*api, {});
      if (!ei)
        return tl::unexpected(ei.error());
      return std::unique_ptr<InputInjector>(std::move(*ei));
    };
  return nullptr;  // the display's own
}

}  // namespace

Host::Host(const HostOptions& options) : options_(options) {
  host_name_ = options.name.empty() ? machine_name() : options.name;
}

Result<std::unique_ptr<Host>> Host::start(const HostOptions& o, const Paths& paths) {
  std::unique_ptr<Host> h(new Host(o));
  if (Status st = h->start_gamestream(paths); !st.is_ok())
    return tl::unexpected(st);
  h->start_sessions();
  if (o.native_port != 0) {
    auto n = NativeFrontend::start(
        o, paths, h->host_name_, h->encoders_, *h->sessions_,
        [p = h.get()](uint32_t s, const proto::native::InputDatagram& e) { p->route_input(s, e); });
    if (!n)
      return tl::unexpected(n.error());
    h->native_ = std::move(*n);
    if (o.mdns) {
      const std::string fp = net::fingerprint_hex(h->native_->service().fingerprint());
      h->native_mdns_ = gs::MdnsPublisher::start(
          h->host_name_, h->native_->service().port(), "_punktfunk._udp",
          {"v=1", "id=" + fp.substr(0, 16), "name=" + h->host_name_, "fp=" + fp});
    }
  }
  h->gamepads_->set_rumble_sink([p = h.get()](uint32_t owner, uint32_t pad, const Rumble& r) {
    p->route_rumble(owner, pad, r);
  });
  if (Status st = h->start_control(paths); !st.is_ok())
    return tl::unexpected(st);
  if (o.mgmt_port != 0)
    if (Status st = h->start_mgmt(paths); !st.is_ok())
      return tl::unexpected(st);
  return h;
}

Status Host::start_gamestream(const Paths& paths) {
  gs::ServiceOptions so;
  so.paths = paths;
  so.bind_address = options_.bind;
  so.nvhttp.host_name = host_name_;
  so.nvhttp.http_port = options_.port;
  so.nvhttp.https_port = static_cast<uint16_t>(options_.port - 5);
  so.nvhttp.rtsp_port = static_cast<uint16_t>(options_.port + 21);
  so.nvhttp.gpu_type = "software (x264)";  // GameStream sessions encode with libx264
  // What each codec's encoder does here (a one-frame encode each); only what works is offered.
  const EncoderCaps caps = settle_video_offer(options_.software_codecs).caps;
  so.nvhttp.codec_modes = caps.gamestream_codec_modes();
  encoders_.h264_444 = caps.h264_444;
  encoders_.hevc = caps.hevc;
  encoders_.hevc_444 = caps.hevc_444;
  encoders_.av1_444 = caps.av1_444;
  encoders_.av1 = caps.av1;
  encoders_.hevc_10bit = caps.hevc_10bit;
  // Not AV1: libaom's 10-bit real-time pictures are not reliable here — stale from about frame
  // 50 at speed 10 (EncoderFactoryTest.Av1TenBitPicturesAreTheirFrames), and one wrong picture
  // in 151 at speed 8 on a loaded machine (clean-clone CI, integration.software_codecs).
  encoders_.av1_10bit = false;
  // HDR where the pictures are HDR: the synthetic source's HDR pattern (desktop captures are
  // SDR), as HEVC Main10 with its metadata (serverinfo 0x200, apps' IsHdrSupported).
  if (caps.hevc_10bit && options_.gamestream_synthetic) {
    so.nvhttp.codec_modes |= 0x200;
    so.nvhttp.hdr_encode = true;
    log_info("video: HDR (HEVC Main10, BT.2020 PQ) offered over GameStream: synthetic source");
  }
  so.nvhttp.gpu_type =
      fmt::format("software (x264{}{})", caps.hevc ? ", x265" : "", caps.av1 ? ", libaom" : "");
  so.mdns = options_.mdns;
  auto svc = gs::Service::start(so);
  if (!svc)
    return svc.error();
  gamestream_ = std::move(*svc);
  gamestream_->streamer().set_capture_options(options_.audio_default_monitor,
                                              options_.audio_make_default);
  gamestream_->nvhttp().on_pin_needed([tty = isatty(STDIN_FILENO)](const std::string& device) {
    std::printf(
        "\n>>> '%s' wants to pair. Type the 4-digit PIN Moonlight shows%s, or run:\n"
        ">>>   punktfunk-host pin <PIN>\n",
        device.c_str(), tty ? " here and press Enter" : "");
    std::fflush(stdout);
  });
  // Media: the encoder the probes rank best (some probes open devices: once).
  const auto probes = run_probes();
  for (const char* want : {"nvenc", "vaapi", "x264"})
    for (const auto& p : probes)
      if (encoder_ == "none" && p.subsystem == "encode" && p.backend == want && p.available)
        encoder_ = want;
  // punktfunk/1 encodes on the GPU the probes found (HEVC there too); GameStream stays on x264.
  if (encoder_ == "nvenc" || encoder_ == "vaapi") {
    encoders_.hardware = encoder_ == "nvenc" ? EncoderBackend::kNvenc : EncoderBackend::kVaapi;
    encoders_.hevc = true;
    encoders_.hevc_10bit = encoders_.av1_10bit = false;  // on a GPU: untested here, not yet
    encoders_.h264_444 = encoders_.hevc_444 = encoders_.av1_444 = false;
  }
  return Status::ok();
}

void Host::start_sessions() {
  const auto backend = resolve_display_backend(options_.display_backend);
  std::string displays = display_backend_name(backend);
  if (const auto xvfb = XvfbDisplay::probe(); backend == DisplayBackend::kXvfb && !xvfb.available)
    displays = "none (" + xvfb.reason + ")";
  log_info(
      "media: encoder {} (best available; `punktfunk-host doctor` lists all), virtual displays: "
      "{}, at most {} sessions at once, kept {} s after their client left",
      encoder_, displays, options_.max_sessions, options_.session_linger_s);
  // Gamepads are kernel devices (uinput): they reach every display.
  gamepads_ = std::make_unique<GamepadService>(std::make_unique<UinputBackend>());
  if (const auto v = UinputBackend::probe(); !v.available)
    log_info("gamepads: {}; controller input is dropped", v.reason);
  sessions_ = std::make_unique<SessionManager>(
      SessionLimits{options_.max_sessions, options_.session_linger_s * 1'000'000'000},
      [backend](const DisplayMode& m) { return create_virtual_display(backend, m); },
      input_opener(options_.input), SteadyClock::instance(),
      [] {
        uint32_t id = 0;
        crypto::random_bytes(std::span(reinterpret_cast<uint8_t*>(&id), sizeof id));
        return id;
      });
  // Each session's own sink, held by the session (not while capturing the
  // user's default sink instead).
  if (!options_.audio_default_monitor)
    sessions_->set_sink_factory(
        [](const std::string& name, int channels) -> std::unique_ptr<SessionSink> {
          struct Held : SessionSink {
            std::unique_ptr<PwSink> sink;
          };
          auto sink = PwSink::create(name, channels);
          if (!sink) {
            log_debug("audio: {}", sink.error().message());
            return nullptr;
          }
          auto held = std::make_unique<Held>();
          held->sink = std::move(*sink);
          return held;
        });
  gs_frontend_ = std::make_unique<GameStreamFrontend>(
      *gamestream_, *sessions_,
      [this](uint32_t s, const proto::native::InputDatagram& e) { route_input(s, e); },
      options_.gamestream_synthetic);
  sessions_->set_on_end([this](Session& s, const std::string& reason) {
    if (s.protocol() == Protocol::kGameStream)
      gs_frontend_->on_session_end(s);
    else if (native_)
      native_->on_session_end(s, reason);
    gamepads_->release_owner(s.id());  // nothing held, sticks centred, slots free
  });
}

void Host::route_input(uint32_t session, const proto::native::InputDatagram& e) {
  input_log_.note(e, session, SteadyClock::instance().now_ns());
  if (gamepads_->inject(e, session))
    return;
  if (auto s = sessions_->find(session))
    s->inject(e);
}

// Games' rumble goes back to the client whose pad it is.
void Host::route_rumble(uint32_t session, uint32_t pad, const Rumble& r) {
  auto s = sessions_->find(session);
  if (!s)
    return;
  if (s->protocol() == Protocol::kGameStream) {
    gamestream_->streamer().send_rumble(s->client_key(), static_cast<uint16_t>(pad), r.low, r.high);
    return;
  }
  std::array<uint8_t, 16> buf{};
  const proto::native::Datagram d =
      proto::native::RumbleDatagram{static_cast<uint8_t>(pad), r.low, r.high, r.duration_ms};
  if (auto n = proto::native::encode_datagram(d, buf); n && native_)
    native_->send_datagram(session, std::span<const uint8_t>(buf.data(), *n));
}

Status Host::start_control(const Paths& paths) {
  auto control = ControlServer::start(paths.control_socket(), [this](const std::string& line) {
    if (line == "mgmt-port")
      return mgmt_port_ ? "ok " + std::to_string(mgmt_port_.load())
                        : std::string("error the management API is off (--mgmt-port 0)");
    if (line == "native-pin")
      return native_ ? "ok " + native_->service().open_pin()
                     : std::string("error punktfunk/1 is off (--native-port 0)");
    if (line.rfind("native-unpair ", 0) == 0) {
      if (!native_)
        return std::string("error punktfunk/1 is off (--native-port 0)");
      auto n = native_->service().unpair(line.substr(14));
      if (!n)
        return "error " + n.error().message();
      return *n ? "ok unpaired " + std::to_string(*n) + " device(s)"
                : "error no paired device matches '" + line.substr(14) + "'";
    }
    if (line.rfind("pin ", 0) == 0) {
      const auto who = gamestream_->pins().waiting_device();
      if (!gamestream_->pins().submit(line.substr(4)))
        return std::string(
            "error no pairing is waiting for a PIN (start pairing in Moonlight first)");
      return "ok PIN handed to '" + who.value_or("?") + "'";
    }
    return "error unknown command '" + line + "'";
  });
  if (!control)
    return control.error();
  control_ = std::move(*control);
  return Status::ok();
}

void Host::tick() {
  sessions_->reap();
  // A session's encoder, capture and packet buffers are freed to malloc's
  // arenas (one per thread that allocated, up to 8 per core), which keep the
  // pages: without handing them back, a host's RSS climbed by ~6 MiB per
  // session that came and went (integration.churn: 147 -> 314 MiB in 30
  // cycles). Two seconds after a session ended (its threads have stopped),
  // the free pages go back to the system.
  const auto now = std::chrono::steady_clock::now();
  const size_t open = sessions_->size();
  if (open < open_sessions_)
    trim_at_ = now + std::chrono::seconds(2);
  open_sessions_ = open;
  if (trim_at_ && now >= *trim_at_) {
    trim_at_.reset();
    malloc_trim(0);
  }
}

std::string Host::ready_status() const {
  return fmt::format("serving '{}': GameStream on {}, punktfunk/1 on {}", host_name_,
                     gamestream_->http_port(),
                     native_ ? std::to_string(native_->service().port()) : "off");
}

std::string Host::welcome(bool tty) const {
  const auto addrs = lan_addresses();
  std::string s = fmt::format(
      "\npunktfunk-host is running as '{}' (GameStream: HTTP {}, HTTPS {}, RTSP {}).\n"
      "How to pair: open Moonlight on a device in the same network. {}\n"
      "add it by address ({}). Pick it, and Moonlight shows a 4-digit PIN:\n"
      "{}`punktfunk-host pin <PIN>`.\n"
      "Streaming: each client gets a virtual display of its own (up to {} at once), with its "
      "audio (PipeWire; else a test tone), keyboard, mouse.\n",
      host_name_, gamestream_->http_port(), gamestream_->https_port(), gamestream_->rtsp_port(),
      !options_.mdns        ? "mDNS is off (--no-mdns), so"
      : gamestream_->mdns() ? "The host should appear by itself (mDNS); if not,"
                            : "mDNS is unavailable (see the warning above), so",
      addrs.empty() ? "this machine's IP address" : fmt::format("{}", fmt::join(addrs, ", ")),
      tty ? "type it here and press Enter, or run " : "run ", options_.max_sessions);
  if (native_)
    s += fmt::format(
        "punktfunk clients: punktfunk/1 on UDP {}; pair one with `punktfunk-host pair` (shows a "
        "PIN for the client).\n",
        native_->service().port());
  if (mgmt_)
    s += fmt::format(
        "Web page: https://127.0.0.1:{}/ (`punktfunk-host token --url` prints a link that signs "
        "in).\n",
        mgmt_->port());
  return s + "Stop with Ctrl+C.\n\n";
}

Host::~Host() {
  log_info("stopping");
  if (gamepads_)
    gamepads_->stop_rumble();  // before what its sink sends through goes away
  mgmt_.reset();
  control_.reset();
  native_mdns_.reset();
  native_.reset();  // connections end with a Bye; their sessions with them
  if (sessions_)
    sessions_->end_all("the host is stopping");  // needs the front-ends and the service
  gamestream_.reset();                           // no more requests into the front-end after this
  gs_frontend_.reset();
  sessions_.reset();
}

}  // namespace pf::host
