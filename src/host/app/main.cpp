// SPDX-License-Identifier: MIT OR Apache-2.0
// punktfunk-host: the streaming host daemon.
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include <CLI/CLI.hpp>

extern "C" {
#include <libavutil/log.h>
}

#include "base/clock.h"
#include "base/log.h"
#include "host/app/app_process.h"
#include "host/app/control.h"
#include "host/app/doctor.h"
#include "host/app/service_notify.h"
#include "host/app/spike.h"
#include "host/audio/mic_service.h"
#include "host/config/config_file.h"
#include "host/gamestream/client_store.h"
#include "host/gamestream/service.h"
#include "host/input/gamepad_service.h"
#include "host/input/input_log.h"
#include "host/input/kwin_injector.h"
#include "host/input/libei_injector.h"
#include "host/input/mutter_injector.h"
#include "host/input/uinput_backend.h"
#include "host/input/uinput_injector.h"
#include "host/input/wlr_virtual_injector.h"
#include "host/input/xtest_injector.h"
#include "host/mgmt/mgmt_server.h"
#include "host/native/audio_streamer.h"
#include "host/native/native_service.h"
#include "host/native/video_streamer.h"
#include "host/process/child_process.h"
#include "host/vdisplay/display_factory.h"
#include "host/vdisplay/kwin_display.h"
#include "host/vdisplay/mutter_display.h"
#include "host/vdisplay/sway_display.h"
#include "host/vdisplay/xvfb_display.h"
#include "proto/config/host_config.h"
#include "proto/native/peer_list.h"
#include "punktfunk_core.h"
#include "session/fec_adapter.h"

namespace {

namespace gs = pf::host::gamestream;

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) {
  g_stop = 1;
}

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0 || !buf[0])
    return "punktfunk";
  return buf;
}

// An App object of the management API.
nlohmann::json app_json(const gs::App& a) {
  return {
      {"id", a.id}, {"title", a.title}, {"command", a.command}, {"image", a.image}, {"hdr", a.hdr}};
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

struct RunOptions {
  std::string name;
  std::string bind = "0.0.0.0";
  uint16_t port = 47989;
  uint16_t native_port = 9777;          // punktfunk/1 (QUIC); 0 = off
  bool native_synthetic = false;        // punktfunk/1 video from the synthetic source (tests)
  uint16_t native_video_port = 0;       // punktfunk/1 video port (0 = a free port per session)
  uint16_t mgmt_port = 47990;           // management API (HTTPS, loopback); 0 = off
  std::filesystem::path config_file;    // host.toml (the management API edits it)
  std::string mgmt_bind = "127.0.0.1";  // only this machine unless configured
  bool audio_default_monitor = false;   // capture the default sink's monitor
  bool audio_make_default = false;      // punktfunk-speakers is the default sink while streaming
  bool mdns = true;
  pf::host::DisplayBackend display_backend = pf::host::DisplayBackend::kXvfb;
  std::string input = "auto";  // --input: auto (the display's API), uinput or libei
};

namespace pn = pf::proto::native;
namespace nat = pf::host::native;

int cmd_run(const RunOptions& o, const pf::host::Paths& paths) {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  pf::log_info("punktfunk-host {} (core ABI {}.{})", PUNKTFUNK_VERSION,
               punktfunk_abi_version() >> 16, punktfunk_abi_version() & 0xffff);
  gs::ServiceOptions so;
  so.paths = paths;
  so.bind_address = o.bind;
  so.nvhttp.host_name = o.name.empty() ? host_name() : o.name;
  so.nvhttp.http_port = o.port;
  so.nvhttp.https_port = static_cast<uint16_t>(o.port - 5);
  so.nvhttp.rtsp_port = static_cast<uint16_t>(o.port + 21);
  so.mdns = o.mdns;
  so.nvhttp.gpu_type = "software (x264)";  // GameStream sessions encode with libx264
  auto svc = gs::Service::start(so);
  if (!svc) {
    pf::log_error("{}", svc.error().to_string());
    return 1;
  }
  gs::Service& s = **svc;
  const bool tty = isatty(STDIN_FILENO);

  // Media: the encoder the probes rank best, and one headless display per
  // launched session at exactly the mode the client asked for.
  std::string encoder = "none";
  const auto probes = pf::host::run_probes();  // once: some probes open devices or D-Bus
  for (const char* want : {"nvenc", "vaapi", "x264"})
    for (const auto& p : probes)
      if (encoder == "none" && p.subsystem == "encode" && p.backend == want && p.available)
        encoder = want;
  const auto backend = pf::host::resolve_display_backend(o.display_backend);
  const auto xvfb = pf::host::XvfbDisplay::probe();
  std::string displays = pf::host::display_backend_name(backend);
  if (backend == pf::host::DisplayBackend::kXvfb && !xvfb.available)
    displays = "none (" + xvfb.reason + ")";
  pf::log_info(
      "media: encoder {} (best available; `punktfunk-host doctor` lists all), "
      "virtual displays: {}",
      encoder, displays);
  std::mutex display_mu;
  std::unique_ptr<pf::host::VirtualDisplay> display;
  std::unique_ptr<pf::host::AppProcess> app_process;
  // Input into the session's display (XTest for Xvfb, the RemoteDesktop
  // session for a Mutter monitor, fake input for a KWin output, virtual
  // keyboard and pointer for a sway output), from GameStream and punktfunk/1
  // clients alike.
  std::unique_ptr<pf::host::InputInjector> injector;
  std::string injector_display, injector_failed;
  // The injector of the current display, opened on first use (called with
  // display_mu held); false when the display takes no input (said once).
  auto ensure_injector = [&]() -> bool {
    if (!display)
      return false;
    if (injector && injector_display == display->address())
      return true;
    if (injector_failed == display->address())
      return false;
    auto fail = [&](const std::string& why) {
      injector.reset();
      injector_failed = display->address();
      pf::log_warn("input: {}; input is dropped", why);
      return false;
    };
    if (o.input == "uinput") {
      if (const auto v = pf::host::UinputBackend::probe(); !v.available)
        return fail(v.reason);
      injector =
          std::make_unique<pf::host::UinputInjector>(std::make_unique<pf::host::UinputBackend>());
    } else if (o.input == "libei") {
      auto api = pf::host::EiApi::load();
      if (!api)
        return fail(api.error().message());
      auto ei = pf::host::LibeiInjector::open(*api, {});
      if (!ei)
        return fail(ei.error().message());
      injector = std::move(*ei);
    } else if (auto* mutter = dynamic_cast<pf::host::MutterDisplay*>(display.get())) {
      if (!mutter->has_input())
        return fail("this Mutter offers no RemoteDesktop session");
      injector = std::make_unique<pf::host::MutterInjector>(*mutter);
    } else if (auto* kwin = dynamic_cast<pf::host::KwinDisplay*>(display.get())) {
      auto in = pf::host::KwinInjector::open({}, kwin->output_name());
      if (!in)
        return fail(in.error().message());
      injector = std::move(*in);
    } else if (auto output = pf::host::wayland_output_of(display->address())) {
      auto wl = pf::host::WlrVirtualInjector::open({}, *output);
      if (!wl)
        return fail(wl.error().message());
      injector = std::move(*wl);
    } else {
      auto inj = pf::host::XTestInjector::open(display->address());
      if (!inj)
        return fail(inj.error().message());
      injector = std::move(*inj);
    }
    injector_display = display->address();
    return true;
  };
  // A new or resized display gets its input devices now, before the first
  // event: a compositor's clients need a moment to see a new virtual
  // keyboard, and an X server restarted at the same address needs a new
  // connection.
  auto display_changed = [&] {
    injector.reset();
    injector_failed.clear();
    (void)ensure_injector();
  };
  s.nvhttp().on_launch([&](const gs::LaunchSession& ls) -> pf::Status {
    std::lock_guard lock(display_mu);
    const auto& q = ls.request;
    if (q.width == 0)  // a resume without a mode keeps the display
      return display ? pf::Status::ok()
                     : pf::Status(pf::StatusCode::kFailedPrecondition, "no display to resume");
    const pf::host::DisplayMode mode{q.width, q.height, q.fps};
    if (display && !display->alive()) {
      pf::log_warn("virtual display {} is gone; making a new one", display->address());
      injector.reset();
      display.reset();
    }
    if (display) {
      injector.reset();  // off the old server before a resize replaces it
      if (display->mode() != mode && app_process) {
        // Xvfb (and Mutter) make a new display for a new mode: the app's
        // connection would break, so it starts again on the new one.
        pf::log_info("stopping the app (pid {}) for the mode change", app_process->pid());
        app_process.reset();
      }
      if (auto st = display->resize(mode); !st.is_ok())
        return st;
    } else {
      auto d = pf::host::create_virtual_display(backend, mode);
      if (!d)
        return d.error();
      display = std::move(*d);
    }
    display_changed();
    pf::log_info("virtual display {} at {}x{}@{} ready for '{}'", display->address(), mode.width,
                 mode.height, mode.fps, ls.client_name);
    // The app's command, if it has one, runs on that display.
    const auto apps = s.apps().list();
    const auto* app = apps.find(q.app_id);
    if (app && !app->command.empty() && !(app_process && app_process->running())) {
      auto proc = pf::host::AppProcess::start(app->command, display->address());
      if (!proc)
        return proc.error();
      app_process = std::move(*proc);
      pf::log_info("app '{}' started on {} (pid {})", app->title, display->address(),
                   app_process->pid());
    }
    return pf::Status::ok();
  });
  s.on_stream_start([](const gs::StreamStart& st) {
    pf::log_info("'{}' starts streaming {}x{}@{}", st.launch.client_name, st.stream.width,
                 st.stream.height, st.stream.fps);
  });
  s.set_display_provider([&]() -> std::string {
    std::lock_guard lock(display_mu);
    return display ? display->address() : std::string();
  });
  // Gamepads are kernel devices (uinput): they reach every display.
  pf::host::GamepadService gamepads(std::make_unique<pf::host::UinputBackend>());
  if (const auto v = pf::host::UinputBackend::probe(); !v.available)
    pf::log_info("gamepads: {}; controller input is dropped", v.reason);
  // owner: the punktfunk/1 session that sent it, 0 for the GameStream session.
  pf::host::InputLog input_log;  // --log-level debug: a line per input kind and second
  auto inject = [&](const pf::proto::native::InputDatagram& e, uint32_t owner) {
    input_log.note(e, owner, pf::SteadyClock::instance().now_ns());
    if (gamepads.inject(e, owner))
      return;
    std::lock_guard lock(display_mu);
    if (ensure_injector())
      injector->inject(e);
  };
  s.streamer().set_input_sink([&](const pf::proto::native::InputDatagram& e) { inject(e, 0); });
  s.streamer().set_capture_options(o.audio_default_monitor, o.audio_make_default);
  s.on_cancel([&] {
    gamepads.release_owner(0);  // the GameStream session's pads
    std::lock_guard lock(display_mu);
    injector.reset();
    if (app_process) {
      pf::log_info("stopping the app (pid {})", app_process->pid());
      app_process.reset();
    }
    if (display)
      pf::log_info("virtual display {} closed", display->address());
    display.reset();
  });
  s.nvhttp().on_pin_needed([tty](const std::string& device) {
    std::printf(
        "\n>>> '%s' wants to pair. Type the 4-digit PIN Moonlight shows%s, or run:\n"
        ">>>   punktfunk-host pin <PIN>\n",
        device.c_str(), tty ? " here and press Enter" : "");
    std::fflush(stdout);
  });
  std::unique_ptr<nat::NativeService> native;
  std::atomic<uint16_t> mgmt_port{0};  // the management API's port once it listens
  auto control = pf::host::ControlServer::start(
      paths.control_socket(), [&s, &native, &mgmt_port](const std::string& line) -> std::string {
        if (line == "mgmt-port")
          return mgmt_port ? "ok " + std::to_string(mgmt_port.load())
                           : std::string("error the management API is off (--mgmt-port 0)");
        if (line == "native-pin") {
          if (!native)
            return "error punktfunk/1 is off (--native-port 0)";
          return "ok " + native->open_pin();
        }
        if (line.rfind("native-unpair ", 0) == 0) {
          if (!native)
            return "error punktfunk/1 is off (--native-port 0)";
          auto n = native->unpair(line.substr(14));
          if (!n)
            return "error " + n.error().message();
          return *n ? "ok unpaired " + std::to_string(*n) + " device(s)"
                    : "error no paired device matches '" + line.substr(14) + "'";
        }
        if (line.rfind("pin ", 0) == 0) {
          const auto who = s.pins().waiting_device();
          if (!s.pins().submit(line.substr(4)))
            return "error no pairing is waiting for a PIN (start pairing in Moonlight first)";
          return "ok PIN handed to '" + who.value_or("?") + "'";
        }
        return "error unknown command '" + line + "'";
      });
  if (!control) {
    pf::log_error("{}", control.error().to_string());
    return 1;
  }
  // punktfunk/1: the native control plane (QUIC), its pairing and sessions.
  std::unique_ptr<gs::MdnsPublisher> native_mdns;
  pf::host::MicService mic;  // host lifetime: opened on the first mic packet, heals itself
  // punktfunk/1 video, one streamer per session (its timing datagrams go straight to the
  // connection, never through the service's lock, so ending it inside a callback is safe).
  struct NativeMedia {
    std::unique_ptr<nat::NativeVideoStreamer> video;
    std::unique_ptr<nat::NativeAudioStreamer> audio;
    std::unique_ptr<pf::session::FecAdapter> fec;
    uint64_t packets_at_last_report = 0;
    // For the management API's session list.
    std::string client, address;
    pn::Welcome welcome;
    std::chrono::steady_clock::time_point started;
  };
  std::mutex video_mu;
  std::map<uint32_t, NativeMedia> videos;
  if (o.native_port != 0) {
    nat::NativeServiceOptions no;
    auto bind = pf::net::Address::parse(o.bind, o.native_port);
    if (!bind) {
      pf::log_error("--bind: {}", bind.error().message());
      return 1;
    }
    no.bind = *bind;
    no.state_dir = paths.state;
    no.host_name = so.nvhttp.host_name;
    no.caps.codec_preference = {pn::kCodecH264};
    if (encoder == "nvenc" || encoder == "vaapi")
      no.caps.codec_preference = {pn::kCodecHevc, pn::kCodecH264};
    nat::SessionHooks hooks;
    hooks.on_session_start = [&](const nat::SessionStart& st) -> pf::Result<uint16_t> {
      std::string display_address;
      const auto& w = st.welcome;
      if (!o.native_synthetic) {
        std::lock_guard lock(display_mu);
        const pf::host::DisplayMode mode{w.width, w.height, (w.fps_x100 + 50) / 100};
        if (display && !display->alive()) {
          injector.reset();
          display.reset();
        }
        if (display) {
          injector.reset();  // off the old server before a resize replaces it
          if (auto r = display->resize(mode); !r.is_ok())
            return pf::make_error(r.code(), r.message());
        } else {
          auto d = pf::host::create_virtual_display(backend, mode);
          if (!d)
            return pf::make_error(d.error().code(), d.error().message());
          display = std::move(*d);
        }
        display_changed();
        display_address = display->address();
      }
      nat::NativeVideoParams vp;
      vp.session_id = st.session_id;
      vp.welcome = w;
      vp.host_to_client = st.host_to_client;
      vp.client_to_host = st.client_to_host;
      vp.display = display_address;
      auto video_bind = pf::net::Address::parse(o.bind, o.native_video_port);
      if (!video_bind)
        return pf::make_error(video_bind.error().code(), video_bind.error().message());
      vp.bind = *video_bind;
      vp.client_ip = st.client_address.substr(0, st.client_address.rfind(':'));
      const uint32_t id = st.session_id;
      auto streamer = nat::NativeVideoStreamer::start(
          vp, [send = st.send_datagram](const pn::HostTimingDatagram& t) {
            std::array<uint8_t, 16> buf{};
            if (auto n = pn::encode_datagram(t, buf); n && send)
              send(std::span(buf).first(*n));
          });
      if (!streamer)
        return pf::make_error(streamer.error().code(), streamer.error().message());
      const uint16_t port = (*streamer)->port();
      // Desktop audio (the synthetic source comes with the test tone instead).
      auto audio = nat::NativeAudioStreamer::start(st.session_id, st.hello.audio_channels,
                                                   !o.native_synthetic, st.send_datagram,
                                                   o.audio_default_monitor, o.audio_make_default);
      if (!audio)
        return pf::make_error(audio.error().code(), audio.error().message());
      pf::log_info("punktfunk/1 session {:08x} for '{}' ({}): {} at {}x{}@{:.2f}, video on UDP {}",
                   st.session_id, st.client_name, st.client_address,
                   display_address.empty() ? "synthetic source" : "display " + display_address,
                   w.width, w.height, w.fps_x100 / 100.0, port);
      std::lock_guard lock(video_mu);
      videos[id] = NativeMedia{std::move(*streamer),
                               std::move(*audio),
                               std::make_unique<pf::session::FecAdapter>(w.fec_percent),
                               0,
                               st.client_name,
                               st.client_address,
                               w,
                               std::chrono::steady_clock::now()};
      return port;
    };
    hooks.on_session_end = [&](uint32_t id, uint32_t reason) {
      pf::log_info("punktfunk/1 session {:08x} ended (reason {})", id, reason);
      NativeMedia gone;
      {
        std::lock_guard lock(video_mu);
        if (auto it = videos.find(id); it != videos.end()) {
          gone = std::move(it->second);
          videos.erase(it);
        }
      }
      gone = {};                   // joins the streaming threads (at most about one frame)
      gamepads.release_owner(id);  // its pads: nothing held, sticks centred, slots free
    };
    hooks.on_input = [&](uint32_t id, const pn::InputDatagram& e) { inject(e, id); };
    hooks.on_mic = [&](uint32_t, const pn::MicDatagram& m, int64_t captured) {
      mic.push(m.seq, m.opus, captured);
    };
    hooks.on_control = [&](uint32_t id, const pn::ControlMessage& m) {
      std::lock_guard lock(video_mu);
      auto it = videos.find(id);
      if (it == videos.end())
        return;
      if (std::holds_alternative<pn::RequestIdr>(m))
        it->second.video->request_idr();
      else if (const auto* inv = std::get_if<pn::InvalidateRefs>(&m))
        it->second.video->invalidate_refs(inv->first, inv->last);
      else if (const auto* b = std::get_if<pn::SetBitrate>(&m))
        it->second.video->set_bitrate_kbps(b->kbps);
      else if (const auto* rr = std::get_if<pn::ReceiverReport>(&m)) {
        // FEC follows the loss the client sees; the client hears about it (SetFec).
        pf::session::LossReport lr;
        lr.frames_received = rr->frames_received;
        lr.frames_lost = rr->frames_lost;
        lr.shards_lost = rr->shards_lost;
        lr.shards_recovered = rr->shards_recovered;
        // Sent since the last report, minus what the client missed, is what it received.
        const uint64_t sent = it->second.video->stats().packets;
        const uint64_t delta = sent - it->second.packets_at_last_report;
        it->second.packets_at_last_report = sent;
        lr.packets_received =
            static_cast<uint32_t>(delta > rr->shards_lost ? delta - rr->shards_lost : 0);
        const unsigned before = it->second.fec->percent();
        const unsigned after = it->second.fec->on_report(lr);
        if (after != before) {
          it->second.video->set_fec_percent(static_cast<uint8_t>(after));
          native->send(id, pn::SetFec{static_cast<uint8_t>(after)});
          pf::log_info("punktfunk/1 session {:08x}: FEC {}% -> {}% (loss {:.2f}%)", id, before,
                       after, it->second.fec->last_loss() * 100);
        }
      }
    };
    auto ns = nat::NativeService::start(no, hooks);
    if (!ns) {
      pf::log_error("punktfunk/1: {}", ns.error().to_string());
      return 1;
    }
    native = std::move(*ns);
    if (o.mdns) {
      const std::string fp = pf::net::fingerprint_hex(native->fingerprint());
      native_mdns = gs::MdnsPublisher::start(
          so.nvhttp.host_name, native->port(), "_punktfunk._udp",
          {"v=1", "id=" + fp.substr(0, 16), "name=" + so.nvhttp.host_name, "fp=" + fp});
    }
  }

  // Games' rumble goes back to the client whose pad it is.
  gamepads.set_rumble_sink([&](uint32_t owner, uint32_t pad, const pf::host::Rumble& r) {
    if (owner == 0) {
      s.streamer().send_rumble(static_cast<uint16_t>(pad), r.low, r.high);
      return;
    }
    if (!native)
      return;
    std::array<uint8_t, 16> buf{};
    const pn::Datagram d =
        pn::RumbleDatagram{static_cast<uint8_t>(pad), r.low, r.high, r.duration_ms};
    if (auto n = pn::encode_datagram(d, buf))
      native->send_datagram(owner, std::span<const uint8_t>(buf.data(), *n));
  });
  // Declared after what the sink uses, so it stops first on every way out.
  struct StopRumble {
    pf::host::GamepadService& g;
    ~StopRumble() { g.stop_rumble(); }
  } stop_rumble{gamepads};

  // The management API (HTTPS on loopback, bearer token from the state directory).
  std::unique_ptr<pf::host::mgmt::MgmtServer> mgmt;
  if (o.mgmt_port != 0) {
    auto token = pf::host::mgmt::load_or_create_token(paths.state / "mgmt-token");
    if (!token) {
      pf::log_error("mgmt: {}", token.error().to_string());
      return 1;
    }
    pf::host::mgmt::MgmtOptions mo;
    mo.port = o.mgmt_port;
    mo.address = o.mgmt_bind;
    mo.token = *token;
    mo.cert_pem = s.identity().cert_pem;
    mo.key_pem = s.identity().key_pem;
    pf::host::mgmt::MgmtBackend mb;
    const auto started = std::chrono::steady_clock::now();
    mb.status = [&s, &native, &so, encoder, started] {
      nlohmann::json j;
      j["version"] = PUNKTFUNK_VERSION;
      j["name"] = so.nvhttp.host_name;
      j["uptime_s"] = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();
      j["encoder"] = encoder;
      j["gamestream"] = {{"http_port", s.http_port()},
                         {"https_port", s.https_port()},
                         {"rtsp_port", s.rtsp_port()},
                         {"streaming", s.streamer().active()}};
      if (native) {
        const auto st = native->stats();
        j["punktfunk"] = {
            {"port", native->port()}, {"connections", st.connections}, {"sessions", st.sessions}};
      } else {
        j["punktfunk"] = nullptr;
      }
      return j;
    };
    if (native) {
      mb.open_native_pin = [&native] { return native->open_pin(); };
      mb.native_pin = [&native] { return native->current_pin(); };
      mb.native_devices = [&native] { return native->paired_clients(); };
      mb.remove_native_device = [&native](const std::string& id) { return native->unpair(id); };
    }
    mb.sessions = [&] {
      nlohmann::json list = nlohmann::json::array();
      std::vector<uint32_t> ids;  // of the punktfunk/1 entries, in list order
      const auto now = std::chrono::steady_clock::now();
      {
        std::lock_guard lock(video_mu);
        for (const auto& [id, m] : videos) {
          ids.push_back(id);
          const auto v = m.video->stats();
          list.push_back(
              {{"id", fmt::format("{:08x}", id)},
               {"protocol", "punktfunk/1"},
               {"client", m.client},
               {"address", m.address},
               {"width", m.welcome.width},
               {"height", m.welcome.height},
               {"fps", m.welcome.fps_x100 / 100.0},
               {"codec", m.welcome.codec == pn::kCodecHevc ? "hevc" : "h264"},
               {"bitrate_kbps", m.welcome.initial_bitrate_kbps},
               {"fec_percent", m.fec ? m.fec->percent() : m.welcome.fec_percent},
               {"loss_percent", m.fec ? m.fec->last_loss() * 100 : 0.0},
               {"frames", v.frames},
               {"keyframes", v.keyframes},
               {"recovery_frames", v.recovery_frames},
               {"uptime_s",
                std::chrono::duration_cast<std::chrono::seconds>(now - m.started).count()}});
        }
      }
      // Outside video_mu: the QUIC side has its own lock.
      if (native)
        for (size_t i = 0; i < ids.size(); ++i)
          if (auto rtt = native->rtt_ns(ids[i]))
            list[i]["rtt_ms"] = static_cast<double>(*rtt) / 1e6;
      if (s.streamer().active()) {
        const auto g = s.streamer().stats();
        list.push_back({{"id", "gamestream"},
                        {"protocol", "gamestream"},
                        {"client", s.streamer().client_name()},
                        {"frames", g.frames},
                        {"recovery_frames", g.rfi_honoured}});
      }
      return list;
    };
    mb.end_session = [&](const std::string& id) {
      if (id == "gamestream") {
        if (!s.streamer().active())
          return false;
        s.streamer().end();
        return true;
      }
      const auto n = static_cast<uint32_t>(std::stoul(id, nullptr, 16));
      return native && native->kick(n, "the host's administrator ended the session");
    };
    mb.doctor = [] {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& p : pf::host::run_probes())
        list.push_back({{"subsystem", p.subsystem},
                        {"backend", p.backend},
                        {"available", p.available},
                        {"reason", p.reason}});
      return list;
    };
    mb.gamestream_clients = [&s] {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& c : s.clients().list())
        list.push_back({{"id", c.id}, {"name", c.name}, {"paired_at", c.paired_at}});
      return list;
    };
    mb.remove_gamestream_client = [&s](const std::string& id) { return s.clients().remove(id); };
    auto config = std::make_shared<pf::host::HostConfigFile>(o.config_file);
    mb.config = [config]() -> pf::Result<nlohmann::json> {
      auto e = config->read();
      if (!e)
        return pf::make_error(pf::StatusCode::kFailedPrecondition, e.error().message());
      return pf::host::config_document(config->path(), *e);
    };
    mb.update_config =
        [config](
            const std::vector<pf::proto::config::ConfigChange>& c) -> pf::Result<nlohmann::json> {
      auto e = config->update(c);
      if (!e)
        return tl::unexpected(e.error());
      return pf::host::config_document(config->path(), *e);
    };
    mb.apps = [&s] {
      nlohmann::json list = nlohmann::json::array();
      const auto apps = s.apps().list();
      for (const auto& a : apps.apps())
        list.push_back(app_json(a));
      return list;
    };
    mb.add_app = [&s](const pf::proto::mgmt::AppRequest& r) -> pf::Result<nlohmann::json> {
      auto a = s.apps().add(gs::App{0, r.title, r.command, r.image, r.hdr});
      if (!a)
        return tl::unexpected(a.error());
      pf::log_info("apps: added '{}' (id {})", a->title, a->id);
      return app_json(*a);
    };
    mb.remove_app = [&s](uint32_t id) { return s.apps().remove(id); };
    mb.rename_gamestream_client = [&s](const std::string& id,
                                       const std::string& name) -> pf::Result<nlohmann::json> {
      auto c = s.clients().rename(id, name);
      if (!c)
        return tl::unexpected(c.error());
      return nlohmann::json{{"id", c->id}, {"name", c->name}, {"paired_at", c->paired_at}};
    };
    if (native)
      mb.rename_native_device = [&native](const std::string& id,
                                          const std::string& name) -> pf::Result<nlohmann::json> {
        auto p = native->rename(id, name);
        if (!p)
          return tl::unexpected(p.error());
        return nlohmann::json{{"id", p->id()}, {"name", p->name}, {"paired_at", p->paired_at}};
      };
    mb.gamestream_waiting = [&s] { return s.pins().waiting_device(); };
    mb.submit_gamestream_pin = [&s](const std::string& pin) { return s.pins().submit(pin); };
    auto m = pf::host::mgmt::MgmtServer::start(mo, std::move(mb));
    if (!m) {
      pf::log_error("{}", m.error().to_string());
      return 1;
    }
    mgmt = std::move(*m);
    mgmt_port = mgmt->port();
  }
  const auto addrs = lan_addresses();
  std::printf(
      "\npunktfunk-host is running as '%s' (GameStream: HTTP %u, HTTPS %u, RTSP %u).\n"
      "How to pair: open Moonlight on a device in the same network. %s\n"
      "add it by address (%s). Pick it, and Moonlight shows a 4-digit PIN:\n"
      "%s`punktfunk-host pin <PIN>`.\n"
      "Streaming: the session's virtual display, its audio (PipeWire; else a test tone), keyboard, "
      "mouse.\n"
      "%s"
      "%s"
      "Stop with Ctrl+C.\n\n",
      so.nvhttp.host_name.c_str(), s.http_port(), s.https_port(), s.rtsp_port(),
      !o.mdns    ? "mDNS is off (--no-mdns), so"
      : s.mdns() ? "The host should appear by itself (mDNS); if not,"
                 : "mDNS is unavailable (see the warning above), so",
      addrs.empty() ? "this machine's IP address"
                    : fmt::format("{}", fmt::join(addrs, ", ")).c_str(),
      tty ? "type it here and press Enter, or run " : "run ",
      native ? fmt::format("punktfunk clients: punktfunk/1 on UDP {}; pair one with "
                           "`punktfunk-host pair` (shows a PIN for the client).\n",
                           native->port())
                   .c_str()
             : "",
      mgmt ? fmt::format("Web page: https://127.0.0.1:{}/ (`punktfunk-host token --url` prints "
                         "a link that signs in).\n",
                         mgmt->port())
                 .c_str()
           : "");
  std::fflush(stdout);

  std::thread stdin_reader;
  if (tty) {
    stdin_reader = std::thread([&s] {
      std::string line;
      while (!g_stop && std::getline(std::cin, line)) {
        if (line.empty())
          continue;
        if (!s.pins().submit(line))
          std::printf("no pairing is waiting for a PIN right now\n");
      }
    });
    stdin_reader.detach();  // blocked in read(); the process exits around it
  }
  pf::host::notify_ready(fmt::format("serving '{}': GameStream on {}, punktfunk/1 on {}",
                                     so.nvhttp.host_name, s.http_port(),
                                     native ? std::to_string(native->port()) : "off"));
  const auto watchdog = pf::host::watchdog_ping_interval();
  auto next_ping = std::chrono::steady_clock::now();
  while (!g_stop) {
    if (watchdog && std::chrono::steady_clock::now() >= next_ping) {
      pf::host::notify_watchdog();
      next_ping = std::chrono::steady_clock::now() + *watchdog;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  pf::host::notify_stopping();
  pf::log_info("stopping");
  gamepads.stop_rumble();  // before what its sink sends through goes away
  mgmt.reset();
  control->reset();
  native_mdns.reset();
  native.reset();
  {
    std::lock_guard lock(video_mu);
    videos.clear();
  }
  svc->reset();
  injector.reset();
  app_process.reset();
  display.reset();
  return 0;
}

int cmd_spike(const pf::host::SpikeOptions& opt) {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  static volatile bool stop = false;
  std::thread watcher([] {
    while (!g_stop && !stop)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    stop = true;
  });
  auto report = pf::host::run_spike(opt, pf::SteadyClock::instance(), &stop);
  stop = true;
  watcher.join();
  if (!report) {
    pf::log_error("{}", report.error().to_string());
    return 1;
  }
  const auto& r = *report;
  pf::log_info(
      "spike done ({}): {} frames ({} keyframes) in {:.2f} s, {:.0f} kbit/s; "
      "capture p50 {:.2f} ms p99 {:.2f} ms; capture->encoded p50 {:.2f} ms p99 {:.2f} ms max "
      "{:.2f} ms; packetize p50 {:.3f} ms p99 {:.3f} ms",
      r.source_name, r.frames, r.keyframes, r.wall_seconds,
      r.wall_seconds > 0 ? r.bytes * 8 / 1000.0 / r.wall_seconds : 0.0, r.capture_ms_p50,
      r.capture_ms_p99, r.encode_ms_p50, r.encode_ms_p99, r.encode_ms_max, r.packetize_ms_p50,
      r.packetize_ms_p99);
  pf::log_info(
      "core round trip ({}% loss, {}% FEC): {} access units intact (byte-identical), {} lost, "
      "{} shards rebuilt by FEC",
      opt.loss_percent, opt.fec_percent, r.au_intact, r.au_lost, r.shards_recovered);
  if (!opt.output_path.empty())
    pf::log_info("wrote {} ({} bytes of H.264 Annex-B; play it with `ffplay {}`)", opt.output_path,
                 r.bytes, opt.output_path);
  return 0;
}

int cmd_doctor() {
  int available = 0;
  for (const auto& p : pf::host::run_probes()) {
    std::printf("%-9s %-8s %-13s %s\n", p.subsystem.c_str(), p.backend.c_str(),
                p.available ? "available" : "unavailable", p.reason.c_str());
    available += p.available ? 1 : 0;
  }
  return available > 0 ? 0 : 1;
}

int cmd_pin(const std::string& pin, const pf::host::Paths& paths) {
  if (pin.size() != 4 || pin.find_first_not_of("0123456789") != std::string::npos) {
    std::fprintf(stderr, "punktfunk-host: a PIN is 4 digits, got '%s'\n", pin.c_str());
    return 2;
  }
  auto answer = pf::host::control_request(paths.control_socket(), "pin " + pin);
  if (!answer) {
    std::fprintf(stderr, "punktfunk-host: %s\n", answer.error().message().c_str());
    return 1;
  }
  std::printf("%s\n", answer->c_str());
  return answer->rfind("ok", 0) == 0 ? 0 : 1;
}

int cmd_pair(const pf::host::Paths& paths) {
  auto answer = pf::host::control_request(paths.control_socket(), "native-pin");
  if (!answer) {
    std::fprintf(stderr, "punktfunk-host: %s (is the host running?)\n",
                 answer.error().message().c_str());
    return 1;
  }
  if (answer->rfind("ok ", 0) != 0) {
    std::fprintf(stderr, "punktfunk-host: %s\n", answer->c_str());
    return 1;
  }
  const std::string pin = answer->substr(3);
  std::printf(
      "PIN %s (valid for 120 s and one attempt).\n"
      "On the client: punktfunk-client pair <this host's address> --pin %s\n",
      pin.c_str(), pin.c_str());
  return 0;
}

int cmd_devices(bool remove, const std::string& who, const pf::host::Paths& paths) {
  const auto file = nat::paired_devices_file(paths.state);
  if (remove) {
    // A running host also closes the device's live session.
    if (auto answer = pf::host::control_request(paths.control_socket(), "native-unpair " + who)) {
      std::printf("%s\n", answer->c_str());
      return answer->rfind("ok", 0) == 0 ? 0 : 1;
    }
  }
  auto loaded = nat::load_paired_devices(file);
  if (!loaded) {
    std::fprintf(stderr, "punktfunk-host: %s\n", loaded.error().to_string().c_str());
    return 1;
  }
  pn::PeerList list = std::move(loaded->list);
  if (remove) {
    const size_t n = list.remove(who);
    if (n == 0) {
      std::fprintf(stderr, "punktfunk-host: no paired device matches '%s'\n", who.c_str());
      return 1;
    }
    if (auto st = pf::write_file_atomic(file, list.serialize(), 0600); !st.is_ok()) {
      std::fprintf(stderr, "punktfunk-host: %s\n", st.to_string().c_str());
      return 1;
    }
    std::printf("unpaired %zu device(s)\n", n);
    return 0;
  }
  if (list.peers().empty()) {
    std::printf("no paired punktfunk devices (%s); pair one with `punktfunk-host pair`\n",
                file.c_str());
    return 0;
  }
  std::printf("%-16s  %-20s  %s\n", "ID", "PAIRED (UTC)", "NAME");
  for (const auto& p : list.peers())
    std::printf("%-16s  %-20s  %s\n", p.id().c_str(), p.paired_at.c_str(), p.name.c_str());
  return 0;
}

int cmd_token(const pf::host::Paths& paths, bool url, uint16_t port) {
  if (auto st = paths.ensure(); !st.is_ok()) {
    std::fprintf(stderr, "punktfunk-host: %s\n", st.to_string().c_str());
    return 1;
  }
  auto token = pf::host::mgmt::load_or_create_token(paths.state / "mgmt-token");
  if (!token) {
    std::fprintf(stderr, "punktfunk-host: %s\n", token.error().to_string().c_str());
    return 1;
  }
  if (url) {
    // The port of the running host if there is one, else the configured one.
    if (auto answer = pf::host::control_request(paths.control_socket(), "mgmt-port");
        answer && answer->rfind("ok ", 0) == 0)
      port = static_cast<uint16_t>(std::stoi(answer->substr(3)));
    // The token rides in the fragment, which browsers never send anywhere.
    std::printf("https://127.0.0.1:%u/#token=%s\n", port, token->c_str());
  } else
    std::printf("%s\n", token->c_str());
  return 0;
}

int cmd_clients(bool unpair, const std::string& who, const pf::host::Paths& paths) {
  auto store = gs::ClientStore::open(paths.state / "clients.json");
  if (!store) {
    std::fprintf(stderr, "punktfunk-host: %s\n", store.error().to_string().c_str());
    return 1;
  }
  if (unpair) {
    auto n = (*store)->remove(who);
    if (!n) {
      std::fprintf(stderr, "punktfunk-host: %s\n", n.error().to_string().c_str());
      return 1;
    }
    if (*n == 0) {
      std::fprintf(stderr, "punktfunk-host: no paired client matches '%s'\n", who.c_str());
      return 1;
    }
    std::printf("unpaired %zu client(s)\n", *n);
    return 0;
  }
  const auto list = (*store)->list();
  if (list.empty()) {
    std::printf("no paired clients (%s)\n", (paths.state / "clients.json").c_str());
    return 0;
  }
  std::printf("%-16s  %-20s  %s\n", "ID", "PAIRED (UTC)", "NAME");
  for (const auto& c : list)
    std::printf("%-16s  %-20s  %s\n", c.id.c_str(), c.paired_at.c_str(), c.name.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  pf::host::cloexec_inherited_fds();  // nothing we were handed reaches our children
  CLI::App app{"punktfunk-host: low-latency Linux desktop and game streaming host"};
  app.set_version_flag("--version", std::string("punktfunk-host ") + PUNKTFUNK_VERSION);
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
      ->capture_default_str();
  pf::host::Paths paths = pf::host::Paths::from_environment();
  std::string state_dir, config_dir;
  app.add_option("--state-dir", state_dir,
                 "identity and paired clients (default $XDG_STATE_HOME/punktfunk)");
  app.add_option("--config-dir", config_dir,
                 "host.toml and apps.toml (default $XDG_CONFIG_HOME/punktfunk)");
  std::string config_file;
  app.add_option("--config", config_file,
                 "the configuration file (default host.toml in the config directory; "
                 "docs/configuration.md)");
  std::vector<std::string> set_options;
  app.add_option("--set", set_options,
                 "key=value: set a configuration key, over the file and the options above "
                 "(repeatable)");

  // Run options live on the top level so `punktfunk-host --name ...` and
  // `punktfunk-host run --name ...` both work (run falls through to them).
  RunOptions run;
  app.add_option("--name", run.name, "name shown in Moonlight (default: the host name)");
  app.add_option("--bind", run.bind, "IPv4 address to serve GameStream on")->capture_default_str();
  app.add_option("--port", run.port, "GameStream base port (HTTP; HTTPS = port - 5)")
      ->capture_default_str();
  app.add_flag("!--no-mdns", run.mdns, "do not announce the host with mDNS");
  app.add_option("--native-port", run.native_port, "punktfunk/1 QUIC port (UDP; 0 = off)")
      ->capture_default_str();
  std::string display_backend = "xvfb";
  app.add_option(
         "--display-backend", display_backend,
         "virtual displays for sessions: xvfb (a headless X server the host owns), x11 (the "
         "running X desktop at $DISPLAY as it is, scaled to each session), mutter "
         "(a virtual monitor of the GNOME Mutter on the session bus), kwin (a virtual output "
         "of the KWin on $WAYLAND_DISPLAY), sway (a headless output of the sway on $SWAYSOCK, "
         "captured over $WAYLAND_DISPLAY), or auto (the first of mutter, kwin, sway that "
         "answers, else xvfb)")
      ->check(CLI::IsMember({"xvfb", "x11", "mutter", "kwin", "sway", "auto"}))
      ->capture_default_str();
  std::string input = "auto";
  app.add_option("--input", input,
                 "keyboard, mouse and touch: auto (the display's own way in: XTest, Mutter's "
                 "RemoteDesktop, KWin's fake input, sway's virtual devices), uinput (kernel "
                 "devices every program sees; needs /dev/uinput) or libei (the compositor's "
                 "emulated-input server at $LIBEI_SOCKET; needs libei.so.1)")
      ->check(CLI::IsMember({"auto", "uinput", "libei"}))
      ->capture_default_str();
  std::string native_source = "display";
  app.add_option("--native-source", native_source,
                 "punktfunk/1 video: the session's virtual display, or the synthetic test pattern")
      ->check(CLI::IsMember({"display", "synthetic"}))
      ->capture_default_str();
  std::string audio_capture = "sink";
  app.add_option("--audio-capture", audio_capture,
                 "desktop audio: the host's own sink punktfunk-speakers, or the default sink's "
                 "monitor")
      ->check(CLI::IsMember({"sink", "default-monitor"}))
      ->capture_default_str();
  app.add_flag("--audio-default-sink", run.audio_make_default,
               "make punktfunk-speakers the default output while streaming (restored after)");
  app.add_option("--mgmt-port", run.mgmt_port, "management API port (HTTPS on 127.0.0.1; 0 = off)")
      ->capture_default_str();
  app.add_option("--mgmt-bind", run.mgmt_bind,
                 "address of the management API and web page; anything but 127.0.0.1 lets "
                 "other machines reach them (logged as a warning)")
      ->check(CLI::ValidIPV4)
      ->capture_default_str();
  app.add_option("--native-video-port", run.native_video_port,
                 "punktfunk/1 video UDP port (default: a free port per session; a fixed one allows "
                 "one session at a time)");
  app.add_subcommand("run", "run the host (default when no command is given)")->fallthrough();

  auto* spike_cmd =
      app.add_subcommand("spike", "M0 pipeline spike: synthetic source -> x264 -> file");
  pf::host::SpikeOptions spike;
  spike.output_path = "punktfunk-spike.h264";
  std::string mode = "1280x720@60";
  spike_cmd->add_option("--mode", mode, "WxH@fps")->capture_default_str();
  spike_cmd->add_option("--bitrate", spike.bitrate_kbps, "kbit/s")->capture_default_str();
  spike_cmd->add_option("--seconds", spike.seconds, "how long")->capture_default_str();
  spike_cmd->add_option("--output,--out", spike.output_path, "H.264 file ('' = none)")
      ->capture_default_str();
  std::string source = "synthetic";
  spike_cmd
      ->add_option("--source", source,
                   "synthetic, x11 (an X display), pipewire (a Mutter virtual monitor), "
                   "wayland (a sway output) or portal (what the desktop portal shares, at its "
                   "size)")
      ->check(CLI::IsMember({"synthetic", "x11", "pipewire", "wayland", "portal"}))
      ->capture_default_str();
  spike_cmd->add_option("--display", spike.display,
                        "x11: display to capture (default: a new headless Xvfb); pipewire: "
                        "pipewire:<node> (default: a new Mutter virtual monitor); wayland: "
                        "wayland:<output> (default: a new sway headless output)");
  spike_cmd
      ->add_option("--loss", spike.loss_percent, "simulated packet loss in the core round trip, %")
      ->capture_default_str();
  spike_cmd->add_option("--fec", spike.fec_percent, "FEC parity in the core round trip, %")
      ->capture_default_str();

  auto* doctor = app.add_subcommand("doctor", "probe every backend and say what is usable");
  auto* pin_cmd =
      app.add_subcommand("pin", "hand the PIN a pairing Moonlight shows to the running host");
  std::string pin;
  pin_cmd->add_option("PIN", pin, "the 4 digits")->required();
  auto* clients = app.add_subcommand("clients", "list or unpair paired Moonlight clients");
  clients->require_subcommand(1);
  clients->add_subcommand("list", "list paired clients");
  auto* unpair = clients->add_subcommand("unpair", "forget a client (by id, id prefix or name)");
  std::string who;
  unpair->add_option("CLIENT", who, "id, id prefix (4+ digits) or name")->required();
  auto* pair_cmd =
      app.add_subcommand("pair", "open a PIN for pairing a punktfunk client with the running host");
  auto* token_cmd = app.add_subcommand("token", "print the management API's bearer token");
  bool token_url = false;
  token_cmd->add_flag("--url", token_url,
                      "print a link to the web page that signs in (port: --mgmt-port)");
  auto* devices = app.add_subcommand("devices", "list or unpair paired punktfunk clients");
  devices->require_subcommand(1);
  devices->add_subcommand("list", "list paired punktfunk devices");
  auto* remove_dev = devices->add_subcommand("remove", "forget a device (id, id prefix or name)");
  std::string device;
  remove_dev->add_option("DEVICE", device, "id, id prefix (4+ digits) or name")->required();
  app.require_subcommand(0, 1);

  CLI11_PARSE(app, argc, argv);
  if (!config_dir.empty())
    paths.config = config_dir;
  run.config_file =
      config_file.empty() ? paths.config / "host.toml" : std::filesystem::path(config_file);

  // host.toml, then --set: every key is a run option's long name; a value
  // goes through that option's own checks. The command line beats the file,
  // --set beats both; the host refuses to start on anything it cannot use.
  // `token --url` reads the configured management port too.
  const bool running =
      app.get_subcommands().empty() || app.got_subcommand("run") || app.got_subcommand("token");
  if (running) {
    static const std::vector<std::string> kKeys = pf::proto::config::host_config_key_names();
    auto entries = pf::proto::config::load_host_config(
        config_file.empty() ? paths.config / "host.toml" : std::filesystem::path(config_file),
        kKeys);
    if (entries && !config_file.empty() && !std::filesystem::exists(config_file))
      entries =
          pf::make_error(pf::StatusCode::kNotFound, "--config " + config_file + ": no such file");
    for (const auto& kv : set_options) {
      if (!entries)
        break;
      auto e = pf::proto::config::parse_set_option(kv, kKeys);
      if (!e) {
        entries = tl::unexpected(e.error());
        break;
      }
      entries->push_back(*e);
    }
    if (!entries) {
      std::fprintf(stderr, "punktfunk-host: %s\n", entries.error().message().c_str());
      return 2;
    }
    for (const auto& e : *entries) {
      const bool from_set = e.origin == "--set";
      if (e.key == "mdns" || e.key == "audio-default-sink") {
        CLI::Option* flag = app.get_option(e.key == "mdns" ? "--no-mdns" : "--audio-default-sink");
        if (!from_set && flag->count() > 0)
          continue;  // the command line said so
        if (e.value != "true" && e.value != "false") {
          std::fprintf(stderr, "punktfunk-host: %s: %s must be true or false, not '%s'\n",
                       e.origin.c_str(), e.key.c_str(), e.value.c_str());
          return 2;
        }
        (e.key == "mdns" ? run.mdns : run.audio_make_default) = e.value == "true";
        continue;
      }
      CLI::Option* opt = app.get_option("--" + e.key);
      if (!from_set && opt->count() > 0)
        continue;
      try {
        opt->clear();
        opt->add_result(e.value);
        opt->run_callback();
      } catch (const CLI::Error& err) {
        std::fprintf(stderr, "punktfunk-host: %s: %s: %s\n", e.origin.c_str(), e.key.c_str(),
                     err.what());
        return 2;
      }
    }
  }

  auto level = pf::parse_log_level(log_level);
  if (!level) {
    std::fprintf(stderr, "punktfunk-host: %s\n", level.error().message().c_str());
    return 2;
  }
  pf::set_log_level(*level);
  av_log_set_level(*level <= pf::LogLevel::kDebug ? AV_LOG_INFO : AV_LOG_ERROR);
  if (!state_dir.empty())
    paths.state = state_dir;

  run.native_synthetic = native_source == "synthetic";
  run.display_backend = *pf::host::parse_display_backend(display_backend);
  run.input = input;
  run.audio_default_monitor = audio_capture == "default-monitor";
  if (doctor->parsed())
    return cmd_doctor();
  if (pin_cmd->parsed())
    return cmd_pin(pin, paths);
  if (clients->parsed())
    return cmd_clients(unpair->parsed(), who, paths);
  if (pair_cmd->parsed())
    return cmd_pair(paths);
  if (token_cmd->parsed())
    return cmd_token(paths, token_url, run.mgmt_port);
  if (devices->parsed())
    return cmd_devices(remove_dev->parsed(), device, paths);
  if (spike_cmd->parsed()) {
    if (std::sscanf(mode.c_str(), "%dx%d@%d", &spike.width, &spike.height, &spike.fps) != 3 ||
        spike.width <= 0 || spike.height <= 0 || spike.fps <= 0 || spike.fps > 1000) {
      std::fprintf(stderr, "punktfunk-host: --mode '%s' is not WxH@fps (e.g. 1920x1080@60)\n",
                   mode.c_str());
      return 2;
    }
    spike.source = source == "x11"        ? pf::host::SpikeSource::kX11
                   : source == "pipewire" ? pf::host::SpikeSource::kPipeWire
                   : source == "wayland"  ? pf::host::SpikeSource::kWayland
                   : source == "portal"   ? pf::host::SpikeSource::kPortal
                                          : pf::host::SpikeSource::kSynthetic;
    return cmd_spike(spike);
  }
  if (run.port < 6 || run.port > 65535 - 21) {
    std::fprintf(
        stderr,
        "punktfunk-host: --port %u leaves no room for HTTPS (port - 5) and RTSP (port + 21)\n",
        run.port);
    return 2;
  }
  return cmd_run(run, paths);
}
