// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/app/doctor.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include <fmt/format.h>

extern "C" {
#include <libavcodec/avcodec.h>
}

#include "host/audio/realtime_probe.h"
#include "host/capture/portal_screencast.h"
#include "host/encode/encoder_speed.h"
#include "host/input/libei_api.h"
#include "host/vdisplay/kwin_display.h"
#include "host/vdisplay/mutter_display.h"
#include "host/vdisplay/sway_display.h"
#include "host/vdisplay/x11_desktop_display.h"

namespace pf::host {
namespace {

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (!path)
    return false;
  std::stringstream ss(path);
  std::string dir;
  while (std::getline(ss, dir, ':'))
    if (!dir.empty() && access((dir + "/" + program).c_str(), X_OK) == 0)
      return true;
  return false;
}

// True if something accepts connections on the Unix socket (a stale file does not).
bool unix_socket_answers(const char* path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

ProbeResult probe_libav(const char* encoder,
                        const char* backend,
                        const char* device,
                        const char* device_hint) {
  ProbeResult r{"encode", backend, false, ""};
  if (avcodec_find_encoder_by_name(encoder) == nullptr) {
    r.reason = std::string("libavcodec was built without ") + encoder;
    return r;
  }
  if (device && !std::filesystem::exists(device)) {
    r.reason = std::string(encoder) + " is compiled in, but " + device + " is missing (" +
               device_hint + ")";
    return r;
  }
  r.available = true;
  r.reason = device ? std::string(encoder) + " compiled in and " + device +
                          " present (not opened by this probe)"
                    : std::string(encoder) + " compiled in";
  return r;
}

}  // namespace

std::vector<ProbeResult> run_codec_probes() {
  std::vector<ProbeResult> out;
  struct Codec {
    VideoCodec codec;
    const char* backend;
    const char* what;
  };
  for (const Codec& c :
       {Codec{VideoCodec::kH264, "x264", "H.264 (offered always)"},
        Codec{VideoCodec::kHevc, "x265", "HEVC"}, Codec{VideoCodec::kAv1, "libaom", "AV1"}}) {
    const auto s = measure_encoder_speed(c.codec, 1920, 1080, 60, std::chrono::milliseconds(300));
    if (!s) {
      out.push_back({"codec", c.backend, false, s.error().message()});
      continue;
    }
    std::string reason =
        fmt::format("{:.1f} ms a 1920x1080 frame here (60 fps needs <= {:.1f}): ", s->ms_per_frame,
                    0.8 * s->interval_ms);
    if (c.codec == VideoCodec::kH264)
      reason += std::string(c.what) + (s->real_time ? ", holds 1080p60" : ", not 1080p60 here");
    else if (s->real_time)
      reason += std::string(c.what) + " is offered (it holds 1080p60)";
    else
      reason += std::string(c.what) + " is offered only with software-codecs = true";
    out.push_back({"codec", c.backend, s->real_time, std::move(reason)});
  }
  return out;
}

std::vector<ProbeResult> run_probes() {
  std::vector<ProbeResult> out;
  out.push_back(probe_libav("h264_nvenc", "nvenc", "/dev/nvidia0", "no NVIDIA GPU/driver"));
  out.push_back(probe_libav("h264_vaapi", "vaapi", "/dev/dri/renderD128", "no VA-API render node"));
  out.push_back(probe_libav("libx264", "x264", nullptr, nullptr));
  bool xvfb = on_path("Xvfb");
  out.push_back({"vdisplay", "xvfb", xvfb,
                 xvfb ? "Xvfb found on PATH" : "Xvfb not found: apt-get install xvfb"});
  out.push_back({"capture", "x11-shm", xvfb,
                 xvfb ? "XShm capture of the host's own Xvfb displays"
                      : "needs an X display (Xvfb not found)"});
  const bool avahi = unix_socket_answers("/run/avahi-daemon/socket");
  out.push_back({"discovery", "avahi", avahi,
                 avahi ? "avahi-daemon is running: Moonlight finds the host by mDNS"
                       : "avahi-daemon is not running: clients must add the host by IP "
                         "(systemctl enable --now avahi-daemon)"});
  const char* rt = std::getenv("XDG_RUNTIME_DIR");
  const std::string pw_socket = std::string(rt ? rt : "/run/user/0") + "/pipewire-0";
  const bool pipewire = unix_socket_answers(pw_socket.c_str());
  out.push_back({"audio", "pipewire", pipewire,
                 pipewire ? "PipeWire answers on " + pw_socket +
                                ": desktop audio is captured and the client mic appears"
                          : "PipeWire is not running for this user (" + pw_socket +
                                "): clients get a test tone, no microphone"});
  const RealtimeVerdict realtime = probe_realtime_audio();
  out.push_back({"audio", "realtime", realtime.available, realtime.reason});
  const ProbeVerdict mutter = MutterDisplay::probe();
  out.push_back(
      {"vdisplay", "mutter", mutter.available,
       mutter.available
           ? mutter.reason + ": `run --display-backend mutter` gives each session a "
                             "virtual monitor of it"
           : mutter.reason + " (`--display-backend mutter` needs a running GNOME Mutter)"});
  const ProbeVerdict own_mutter = MutterHeadless::probe();
  out.push_back({"vdisplay", "mutter-headless", own_mutter.available,
                 own_mutter.available
                     ? own_mutter.reason + ": `run --display-backend mutter-headless` gives each "
                                           "session a GNOME desktop of its own (needs PipeWire)"
                     : own_mutter.reason});
  out.push_back({"capture", "pipewire", pipewire && mutter.available,
                 pipewire && mutter.available
                     ? "Mutter's virtual monitors over PipeWire (linear DMA-BUF or shared memory)"
                     : "needs PipeWire and Mutter on the session bus"});
  const ProbeVerdict desktop = X11DesktopDisplay::probe();
  out.push_back({"vdisplay", "x11", desktop.available,
                 desktop.available ? desktop.reason + ": `run --display-backend x11` shares it "
                                                      "as it is (scaled to each session)"
                                   : desktop.reason});
  const ProbeVerdict portal = PortalScreenCast::probe();
  out.push_back({"capture", "portal", portal.available,
                 portal.available ? portal.reason + ": `spike --source portal` captures what it "
                                                    "shares (the user picks a monitor)"
                                  : portal.reason});
  const ProbeVerdict kwin = KwinDisplay::probe();
  out.push_back({"vdisplay", "kwin", kwin.available,
                 kwin.available ? kwin.reason + ": `run --display-backend kwin` gives each session "
                                                "a virtual output of it (input: fake input)"
                                : kwin.reason});
  const ProbeVerdict sway = SwayDisplay::probe();
  out.push_back({"vdisplay", "sway", sway.available,
                 sway.available ? sway.reason + ": `run --display-backend sway` gives each "
                                                "session a headless output of it"
                                : sway.reason + " (`--display-backend sway` needs a running sway "
                                                "with its headless backend)"});
  out.push_back({"capture", "wlr", sway.available,
                 sway.available
                     ? "sway's outputs in shared memory (wlr-screencopy)"
                     : "needs a sway (or another wlroots compositor) on WAYLAND_DISPLAY"});
  out.push_back({"input", "xtest", xvfb,
                 xvfb ? "keyboard and mouse into the host's Xvfb displays (XTEST)"
                      : "needs an X display (Xvfb not found)"});
  {
    auto ei = EiApi::load();
    const char* socket = std::getenv("LIBEI_SOCKET");
    const bool ok = ei && socket && *socket;
    out.push_back({"input", "libei", ok,
                   !ei  ? ei.error().message()
                   : ok ? fmt::format("libei.so.1 loaded, EIS socket {}: `--input libei`", socket)
                        : std::string("libei.so.1 loaded, but LIBEI_SOCKET names no EIS socket")});
  }
  bool uinput = access("/dev/uinput", W_OK) == 0;
  out.push_back({"input", "uinput", uinput,
                 uinput ? "/dev/uinput is writable"
                        : "/dev/uinput missing or not writable (modprobe uinput; add the user to "
                          "the input group)"});
  return out;
}

}  // namespace pf::host
