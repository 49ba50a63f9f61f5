// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/app/run_options.h"

#include <cstdio>

#include "proto/config/host_config.h"
#include "proto/config/host_config_edit.h"

namespace pf::host {

void add_run_options(CLI::App& app, HostOptions& run, RunChoices& c) {
  app.add_option("--name", run.name, "name shown in Moonlight (default: the host name)");
  app.add_option("--bind", run.bind, "IPv4 address to serve GameStream on")->capture_default_str();
  app.add_option("--port", run.port, "GameStream base port (HTTP; HTTPS = port - 5)")
      ->capture_default_str();
  app.add_flag("!--no-mdns", run.mdns, "do not announce the host with mDNS");
  app.add_option("--native-port", run.native_port, "punktfunk/1 QUIC port (UDP; 0 = off)")
      ->capture_default_str();
  app.add_option(
         "--display-backend", c.display_backend,
         "virtual displays for sessions: xvfb (a headless X server the host owns), x11 (the "
         "running X desktop at $DISPLAY as it is, scaled to each session), mutter "
         "(a virtual monitor of the GNOME Mutter on the session bus), mutter-headless (a "
         "`mutter --headless` of its own per session: its own seat and keyboard focus), kwin (a "
         "virtual output "
         "of the KWin on $WAYLAND_DISPLAY), sway (a headless output of the sway on $SWAYSOCK, "
         "captured over $WAYLAND_DISPLAY), or auto (the first of mutter, kwin, sway that "
         "answers, else xvfb)")
      ->check(CLI::IsMember({"xvfb", "x11", "mutter", "mutter-headless", "kwin", "sway", "auto"}))
      ->capture_default_str();
  app.add_option("--input", c.input,
                 "keyboard, mouse and touch: auto (the display's own way in: XTest, Mutter's "
                 "RemoteDesktop, KWin's fake input, sway's virtual devices), uinput (kernel "
                 "devices every program sees; needs /dev/uinput) or libei (the compositor's "
                 "emulated-input server at $LIBEI_SOCKET; needs libei.so.1)")
      ->check(CLI::IsMember({"auto", "uinput", "libei"}))
      ->capture_default_str();
  app.add_option("--native-source", c.native_source,
                 "punktfunk/1 video: the session's virtual display, or the synthetic test pattern")
      ->check(CLI::IsMember({"display", "synthetic"}))
      ->capture_default_str();
  app.add_option("--gamestream-source", c.gamestream_source,
                 "GameStream video: the session's virtual display, or the synthetic test pattern")
      ->check(CLI::IsMember({"display", "synthetic"}))
      ->capture_default_str();
  app.add_option(
         "--audio-capture", c.audio_capture,
         "desktop audio: each session's own sink punktfunk-<session>, or the default sink's "
         "monitor")
      ->check(CLI::IsMember({"sink", "default-monitor"}))
      ->capture_default_str();
  app.add_flag("--software-codecs", run.software_codecs,
               "offer HEVC (x265) and AV1 (libaom) encoded in software; off by default: they "
               "hold 1080p60 only on a fast CPU (`punktfunk-host doctor` measures this one)");
  app.add_flag("--audio-default-sink", run.audio_make_default,
               "make the session's sink the default output while streaming (restored after)");
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
  app.add_option("--max-sessions", run.max_sessions,
                 "clients streaming at once, both protocols together; one more is refused "
                 "(\"host busy\")")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--session-linger", run.session_linger_s,
                 "seconds a session is kept after its client left without quitting, for a resume")
      ->check(CLI::Range(0, 86400))
      ->capture_default_str();
}

bool apply_host_config(CLI::App& app,
                       HostOptions& run,
                       const std::string& config_file,
                       const std::filesystem::path& default_file,
                       const std::vector<std::string>& set_options) {
  // Every key is a run option's long name; a value goes through that
  // option's own checks; the host refuses to start on anything it cannot use.
  static const std::vector<std::string> kKeys = proto::config::host_config_key_names();
  auto entries = proto::config::load_host_config(
      config_file.empty() ? default_file : std::filesystem::path(config_file), kKeys);
  if (entries && !config_file.empty() && !std::filesystem::exists(config_file))
    entries = make_error(StatusCode::kNotFound, "--config " + config_file + ": no such file");
  for (const auto& kv : set_options) {
    if (!entries)
      break;
    auto e = proto::config::parse_set_option(kv, kKeys);
    if (!e) {
      entries = tl::unexpected(e.error());
      break;
    }
    entries->push_back(*e);
  }
  if (!entries) {
    std::fprintf(stderr, "punktfunk-host: %s\n", entries.error().message().c_str());
    return false;
  }
  for (const auto& e : *entries) {
    const bool from_set = e.origin == "--set";
    if (e.key == "mdns" || e.key == "audio-default-sink" || e.key == "software-codecs") {
      CLI::Option* flag = app.get_option(e.key == "mdns" ? "--no-mdns" : "--" + e.key);
      if (!from_set && flag->count() > 0)
        continue;  // the command line said so
      if (e.value != "true" && e.value != "false") {
        std::fprintf(stderr, "punktfunk-host: %s: %s must be true or false, not '%s'\n",
                     e.origin.c_str(), e.key.c_str(), e.value.c_str());
        return false;
      }
      (e.key == "mdns"                 ? run.mdns
       : e.key == "audio-default-sink" ? run.audio_make_default
                                       : run.software_codecs) = e.value == "true";
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
      return false;
    }
  }
  return true;
}

void finish_run_options(HostOptions& run, const RunChoices& c) {
  run.native_synthetic = c.native_source == "synthetic";
  run.gamestream_synthetic = c.gamestream_source == "synthetic";
  run.display_backend = *parse_display_backend(c.display_backend);
  run.input = c.input;
  run.audio_default_monitor = c.audio_capture == "default-monitor";
}

}  // namespace pf::host
