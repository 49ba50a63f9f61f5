// SPDX-License-Identifier: MIT OR Apache-2.0
// impair: a UDP relay that adds loss, bursts, delay, jitter, reordering and
// duplication between a client and a host (no netem on this machine).
#include <csignal>
#include <cstdio>
#include <thread>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "relay.h"

static volatile std::sig_atomic_t g_stop = 0;

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:40000", forward;
  double loss = 0, burst = 0, reorder = 0, duplicate = 0, delay_ms = 0, jitter_ms = 0, seconds = 0;
  CLI::App app{"impair: UDP impairment relay (client -> listen -> forward, answers back)"};
  app.add_option("--listen", listen, "address clients send to")->capture_default_str();
  app.add_option("--forward", forward, "address of the real server")->required();
  app.add_option("--loss", loss, "loss in percent, each direction")->capture_default_str();
  app.add_option("--burst", burst, "mean burst length in packets (0 = uniform loss)");
  app.add_option("--delay-ms", delay_ms, "one-way delay")->capture_default_str();
  app.add_option("--jitter-ms", jitter_ms, "uniform extra delay")->capture_default_str();
  app.add_option("--reorder", reorder, "percent of packets held back by 2 ms");
  app.add_option("--duplicate", duplicate, "percent of packets sent twice");
  app.add_option("--seconds", seconds, "stop after this long (0 = until Ctrl+C)");
  CLI11_PARSE(app, argc, argv);
  auto l = pf::net::Address::parse(listen);
  auto f = pf::net::Address::parse(forward);
  if (!l || !f) {
    fmt::print(stderr, "impair: {}\n", (!l ? l.error() : f.error()).message());
    return 2;
  }
  pf::sim::LinkConfig c = burst > 1 ? pf::sim::bursty(loss / 100, burst) : pf::sim::LinkConfig{};
  if (burst <= 1)
    c.loss = loss / 100;
  c.delay_us = static_cast<uint64_t>(delay_ms * 1000);
  c.jitter_us = static_cast<uint64_t>(jitter_ms * 1000);
  c.reorder = reorder / 100;
  c.reorder_us = 2000;
  c.duplicate = duplicate / 100;
  auto down = c;
  down.seed = c.seed + 1;
  auto relay = pf::tools::Relay::start(*l, *f, c, down);
  if (!relay) {
    fmt::print(stderr, "impair: {}\n", relay.error().to_string());
    return 1;
  }
  std::signal(SIGINT, [](int) { g_stop = 1; });
  std::signal(SIGTERM, [](int) { g_stop = 1; });
  fmt::print("impair: {} -> {} (loss {} %{}, delay {} ms ± {} ms, reorder {} %, duplicate {} %)\n",
             listen, forward, loss, burst > 1 ? fmt::format(" in bursts of {}", burst) : "",
             delay_ms, jitter_ms, reorder, duplicate);
  for (int s = 0; !g_stop && (seconds <= 0 || s < seconds); ++s) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const auto st = (*relay)->stats();
    fmt::print("up {} in / {} out, down {} in / {} out\n", st.up_in, st.up_out, st.down_in,
               st.down_out);
    std::fflush(stdout);
  }
  return 0;
}
