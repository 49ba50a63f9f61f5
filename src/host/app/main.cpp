// SPDX-License-Identifier: MIT OR Apache-2.0
// punktfunk-host: the streaming host daemon.
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>

extern "C" {
#include <libavutil/log.h>
}

#include "base/log.h"
#include "host/app/commands.h"
#include "host/app/run_options.h"
#include "host/app/service_notify.h"
#include "host/app/spike.h"
#include "host/config/paths.h"
#include "host/core/host.h"
#include "host/process/child_process.h"
#include "punktfunk_core.h"

namespace {

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) {
  g_stop = 1;
}

int cmd_run(const pf::host::HostOptions& o, const pf::host::Paths& paths) {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  pf::log_info("punktfunk-host {} (core ABI {}.{})", PUNKTFUNK_VERSION,
               punktfunk_abi_version() >> 16, punktfunk_abi_version() & 0xffff);
  auto host = pf::host::Host::start(o, paths);
  if (!host) {
    pf::log_error("{}", host.error().to_string());
    return 1;
  }
  const bool tty = isatty(STDIN_FILENO);
  std::fputs((*host)->welcome(tty).c_str(), stdout);
  std::fflush(stdout);
  if (tty) {
    // PINs typed into the terminal; blocked in read(), the process exits around it.
    std::thread([&s = (*host)->gamestream()] {
      std::string line;
      while (!g_stop && std::getline(std::cin, line))
        if (!line.empty() && !s.pins().submit(line))
          std::printf("no pairing is waiting for a PIN right now\n");
    }).detach();
  }
  pf::host::notify_ready((*host)->ready_status());
  const auto watchdog = pf::host::watchdog_ping_interval();
  auto next_ping = std::chrono::steady_clock::now();
  while (!g_stop) {
    if (watchdog && std::chrono::steady_clock::now() >= next_ping) {
      pf::host::notify_watchdog();
      next_ping = std::chrono::steady_clock::now() + *watchdog;
    }
    (*host)->tick();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  pf::host::notify_stopping();
  host->reset();
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
  pf::host::HostOptions run;
  pf::host::RunChoices choices;
  pf::host::add_run_options(app, run, choices);
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

  // host.toml, then --set (`token --url` reads the configured management port too).
  const bool running =
      app.get_subcommands().empty() || app.got_subcommand("run") || app.got_subcommand("token");
  if (running &&
      !pf::host::apply_host_config(app, run, config_file, paths.config / "host.toml", set_options))
    return 2;

  auto level = pf::parse_log_level(log_level);
  if (!level) {
    std::fprintf(stderr, "punktfunk-host: %s\n", level.error().message().c_str());
    return 2;
  }
  pf::set_log_level(*level);
  av_log_set_level(*level <= pf::LogLevel::kDebug ? AV_LOG_INFO : AV_LOG_ERROR);
  if (!state_dir.empty())
    paths.state = state_dir;

  pf::host::finish_run_options(run, choices);
  if (doctor->parsed())
    return pf::host::cmd_doctor();
  if (pin_cmd->parsed())
    return pf::host::cmd_pin(pin, paths);
  if (clients->parsed())
    return pf::host::cmd_clients(unpair->parsed(), who, paths);
  if (pair_cmd->parsed())
    return pf::host::cmd_pair(paths);
  if (token_cmd->parsed())
    return pf::host::cmd_token(paths, token_url, run.mgmt_port);
  if (devices->parsed())
    return pf::host::cmd_devices(remove_dev->parsed(), device, paths);
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
