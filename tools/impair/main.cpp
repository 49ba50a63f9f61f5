// SPDX-License-Identifier: MIT OR Apache-2.0
// impair: a UDP relay that adds loss, bursts, delay, jitter, reordering,
// duplication and a rate limit between a client and a host (no netem on this
// machine). Every impairment takes one value (both directions) or two,
// "UP,DOWN" (client->server, server->client).
#include <csignal>
#include <cstdio>
#include <thread>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "relay.h"

static volatile std::sig_atomic_t g_stop = 0;

namespace {

struct PerDirection {
  std::vector<double> values{0};
  double up() const { return values.front(); }
  double down() const { return values.back(); }
  std::string text() const {
    return values.size() == 2 && values[0] != values[1] ? fmt::format("{}/{}", values[0], values[1])
                                                        : fmt::format("{}", values[0]);
  }
};

CLI::Option* add(CLI::App& app, const char* name, PerDirection& v, const char* help) {
  return app.add_option(name, v.values, help)
      ->delimiter(',')
      ->expected(1, 2)
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
}

pf::sim::LinkConfig link(double loss,
                         double burst,
                         double delay_ms,
                         double jitter_ms,
                         double reorder,
                         double duplicate,
                         double rate_mbps,
                         double queue_kb,
                         uint64_t seed) {
  pf::sim::LinkConfig c =
      burst > 1 ? pf::sim::bursty(loss / 100, burst, seed) : pf::sim::LinkConfig{};
  if (burst <= 1)
    c.loss = loss / 100;
  c.seed = seed;
  c.delay_us = static_cast<uint64_t>(delay_ms * 1000);
  c.jitter_us = static_cast<uint64_t>(jitter_ms * 1000);
  c.reorder = reorder / 100;
  c.reorder_us = 2000;
  c.duplicate = duplicate / 100;
  c.rate_bps = static_cast<uint64_t>(rate_mbps * 1e6);
  c.queue_bytes = static_cast<size_t>(queue_kb * 1024);
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:40000", forward;
  PerDirection loss, burst, delay_ms, jitter_ms, reorder, duplicate, rate_mbps, queue_kb;
  queue_kb.values = {256};
  double seconds = 0;
  CLI::App app{"impair: UDP impairment relay (client -> listen -> forward, answers back)"};
  app.footer(
      "Every impairment takes VALUE (both directions) or UP,DOWN (client->server, "
      "server->client), e.g. --loss 5,0.");
  app.add_option("--listen", listen, "address clients send to")->capture_default_str();
  app.add_option("--forward", forward, "address of the real server")->required();
  add(app, "--loss", loss, "loss in percent")->check(CLI::Range(0.0, 100.0));
  add(app, "--burst", burst, "mean burst length in packets (0 or 1 = uniform loss)");
  add(app, "--delay-ms", delay_ms, "one-way delay");
  add(app, "--jitter-ms", jitter_ms, "uniform extra delay");
  add(app, "--reorder", reorder, "percent of packets held back by 2 ms")
      ->check(CLI::Range(0.0, 100.0));
  add(app, "--duplicate", duplicate, "percent of packets sent twice")
      ->check(CLI::Range(0.0, 100.0));
  add(app, "--rate-mbps", rate_mbps, "rate limit in Mbit/s (0 = none)");
  add(app, "--queue-kb", queue_kb, "the rate limit's queue; fuller = drop (drop-tail)");
  app.add_option("--seconds", seconds, "stop after this long (0 = until Ctrl+C)");
  CLI11_PARSE(app, argc, argv);
  auto l = pf::net::Address::parse(listen);
  auto f = pf::net::Address::parse(forward);
  if (!l || !f) {
    fmt::print(stderr, "impair: {}\n", (!l ? l.error() : f.error()).message());
    return 2;
  }
  const auto up = link(loss.up(), burst.up(), delay_ms.up(), jitter_ms.up(), reorder.up(),
                       duplicate.up(), rate_mbps.up(), queue_kb.up(), 1);
  const auto down = link(loss.down(), burst.down(), delay_ms.down(), jitter_ms.down(),
                         reorder.down(), duplicate.down(), rate_mbps.down(), queue_kb.down(), 2);
  auto relay = pf::tools::Relay::start(*l, *f, up, down);
  if (!relay) {
    fmt::print(stderr, "impair: {}\n", relay.error().to_string());
    return 1;
  }
  std::signal(SIGINT, [](int) { g_stop = 1; });
  std::signal(SIGTERM, [](int) { g_stop = 1; });
  fmt::print(
      "impair: {} -> {} (up/down: loss {} %{}, delay {} ms ± {} ms, reorder {} %, duplicate {} "
      "%, rate {})\n",
      listen, forward, loss.text(),
      burst.up() > 1 || burst.down() > 1 ? fmt::format(" in bursts of {}", burst.text()) : "",
      delay_ms.text(), jitter_ms.text(), reorder.text(), duplicate.text(),
      rate_mbps.up() > 0 || rate_mbps.down() > 0
          ? fmt::format("{} Mbit/s, queue {} KiB", rate_mbps.text(), queue_kb.text())
          : "unlimited");
  for (int s = 0; !g_stop && (seconds <= 0 || s < seconds); ++s) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const auto st = (*relay)->stats();
    fmt::print("up {} in / {} out, down {} in / {} out\n", st.up_in, st.up_out, st.down_in,
               st.down_out);
    std::fflush(stdout);
  }
  return 0;
}
