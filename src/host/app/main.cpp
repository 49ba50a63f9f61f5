// SPDX-License-Identifier: MIT OR Apache-2.0
// punktfunk-host: the streaming host daemon.
#include <csignal>
#include <cstdio>

#include <CLI/CLI.hpp>

extern "C" {
#include <libavutil/log.h>
}

#include "base/log.h"
#include "host/app/doctor.h"
#include "host/app/spike.h"
#include "punktfunk_core.h"

namespace {

volatile bool g_stop = false;
void on_signal(int) {
  g_stop = true;
}

int cmd_run(const pf::host::SpikeOptions& opt) {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  pf::log_info("punktfunk-host {} (core ABI {}.{})", PUNKTFUNK_VERSION,
               punktfunk_abi_version() >> 16, punktfunk_abi_version() & 0xffff);
  pf::log_info(
      "milestone M0: no streaming servers yet; running the pipeline spike on the "
      "synthetic source (see docs/implementation-plan.md)");
  auto report = pf::host::run_spike(opt, pf::SteadyClock::instance(), &g_stop);
  if (!report) {
    pf::log_error("{}", report.error().to_string());
    return 1;
  }
  const auto& r = *report;
  pf::log_info(
      "spike done: {} frames ({} keyframes) in {:.2f} s, {:.0f} kbit/s, "
      "capture->encoded p50 {:.2f} ms p99 {:.2f} ms max {:.2f} ms",
      r.frames, r.keyframes, r.wall_seconds,
      r.wall_seconds > 0 ? r.bytes * 8 / 1000.0 / r.wall_seconds : 0.0, r.encode_ms_p50,
      r.encode_ms_p99, r.encode_ms_max);
  if (!opt.output_path.empty())
    pf::log_info("wrote {} ({} bytes of H.264 Annex-B; play it with `ffplay {}`)", opt.output_path,
                 r.bytes, opt.output_path);
  pf::log_info(
      "pairing: not available yet. Moonlight pairing arrives with milestone M2 "
      "(GameStream control plane); this build cannot pair clients.");
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"punktfunk-host: low-latency Linux desktop and game streaming host"};
  app.set_version_flag("--version", std::string("punktfunk-host ") + PUNKTFUNK_VERSION);
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
      ->capture_default_str();

  pf::host::SpikeOptions spike;
  spike.output_path = "punktfunk-spike.h264";
  std::string mode = "1280x720@60";
  // Run options live on the top level so `punktfunk-host --mode ...` and
  // `punktfunk-host run --mode ...` both work (run falls through to them).
  app.add_option("--mode", mode, "virtual display mode WxH@fps")->capture_default_str();
  app.add_option("--bitrate", spike.bitrate_kbps, "video bitrate, kbit/s")->capture_default_str();
  app.add_option("--seconds", spike.seconds, "how long the M0 spike runs")->capture_default_str();
  app.add_option("--output", spike.output_path, "where the spike writes H.264 ('' = nowhere)")
      ->capture_default_str();
  app.add_subcommand("run", "run the host (default when no command is given)")->fallthrough();
  auto* doctor = app.add_subcommand("doctor", "probe every backend and say what is usable");
  app.require_subcommand(0, 1);

  CLI11_PARSE(app, argc, argv);

  auto level = pf::parse_log_level(log_level);
  if (!level) {
    std::fprintf(stderr, "punktfunk-host: %s\n", level.error().message().c_str());
    return 2;
  }
  pf::set_log_level(*level);
  // libavcodec's own chatter (x264 statistics) only at debug level.
  av_log_set_level(*level <= pf::LogLevel::kDebug ? AV_LOG_INFO : AV_LOG_ERROR);

  if (doctor->parsed())
    return cmd_doctor();
  if (std::sscanf(mode.c_str(), "%dx%d@%d", &spike.width, &spike.height, &spike.fps) != 3 ||
      spike.width <= 0 || spike.height <= 0 || spike.fps <= 0 || spike.fps > 1000) {
    std::fprintf(stderr, "punktfunk-host: --mode '%s' is not WxH@fps (e.g. 1920x1080@60)\n",
                 mode.c_str());
    return 2;
  }
  return cmd_run(spike);
}
