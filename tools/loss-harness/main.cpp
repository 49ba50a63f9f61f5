// SPDX-License-Identifier: MIT OR Apache-2.0
// loss-harness: how much video survives which loss, at which FEC cost. Sweeps
// loss model x loss rate x FEC percent x frame size through the real
// packetizer and reassembler over a simulated link (no network), prints a
// table and writes CSV.
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "sweep.h"

namespace {

template <typename T>
std::vector<T> parse_list(const std::string& s) {
  std::vector<T> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    std::stringstream is(item);
    T v{};
    if (!(is >> v) || !is.eof())
      throw CLI::ValidationError("list", fmt::format("'{}' is not a number", item));
    out.push_back(v);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string losses = "0,1,2,5,10,20,30", fecs = "10,20,30,50", sizes = "20000,100000,1000000";
  std::string models = "uniform,bursty", csv = "loss-harness.csv";
  size_t frames = 300;
  double burst_len = 8;
  uint16_t shard = 1408;
  uint64_t seed = 1;
  CLI::App app{"Frame delivery under packet loss vs FEC overhead (simulated link, no network)"};
  app.add_option("--loss", losses, "Loss rates in percent, comma-separated")->capture_default_str();
  app.add_option("--fec", fecs, "FEC parity percents")->capture_default_str();
  app.add_option("--sizes", sizes, "Frame sizes in bytes")->capture_default_str();
  app.add_option("--models", models, "uniform and/or bursty (Gilbert-Elliott)")
      ->capture_default_str();
  app.add_option("--burst-len", burst_len, "Mean burst length in packets (bursty)")
      ->capture_default_str();
  app.add_option("--frames", frames, "Frames per cell")->capture_default_str();
  app.add_option("--shard", shard, "Shard bytes")->capture_default_str();
  app.add_option("--seed", seed, "Random seed")->capture_default_str();
  app.add_option("--csv", csv, "CSV output file ('' for none)")->capture_default_str();
  std::vector<double> loss_list;
  std::vector<unsigned> fec_list;
  std::vector<size_t> size_list;
  std::vector<pf::tools::LossModel> model_list;
  try {
    app.parse(argc, argv);
    loss_list = parse_list<double>(losses);
    fec_list = parse_list<unsigned>(fecs);
    size_list = parse_list<size_t>(sizes);
    for (const auto& m : parse_list<std::string>(models)) {
      if (m == "uniform")
        model_list.push_back(pf::tools::LossModel::kUniform);
      else if (m == "bursty")
        model_list.push_back(pf::tools::LossModel::kBursty);
      else
        throw CLI::ValidationError("--models", fmt::format("unknown model '{}'", m));
    }
    for (double l : loss_list)
      if (l < 0 || l >= 100)
        throw CLI::ValidationError("--loss", "rates must be within 0..99");
    for (unsigned f : fec_list)
      if (f > 100)
        throw CLI::ValidationError("--fec", "percents must be within 0..100");
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  std::FILE* out = nullptr;
  if (!csv.empty()) {
    out = std::fopen(csv.c_str(), "w");
    if (!out) {
      fmt::print(stderr, "cannot write {}\n", csv);
      return 1;
    }
    fmt::print(out,
               "model,loss_percent,burst_len,fec_percent,frame_bytes,frames,delivered_percent,"
               "frames_lost,packets_sent,packets_dropped,shards_recovered,tx_us_per_frame,"
               "rx_us_per_frame\n");
  }
  fmt::print("{:>8} {:>6} {:>5} {:>10} {:>11} {:>8} {:>14} {:>9} {:>9}\n", "model", "loss%", "fec%",
             "frame B", "delivered%", "lost", "recovered/frm", "tx us/f", "rx us/f");
  int corrupt = 0;
  for (auto model : model_list)
    for (size_t bytes : size_list)
      for (unsigned fec : fec_list)
        for (double loss : loss_list) {
          pf::tools::Cell c;
          c.model = model;
          c.loss = loss / 100.0;
          c.burst_len = burst_len;
          c.fec_percent = fec;
          c.frame_bytes = bytes;
          c.frames = frames;
          c.shard_bytes = shard;
          c.seed = seed;
          const auto r = pf::tools::run_cell(c);
          corrupt += r.frames_corrupt > 0;
          fmt::print("{:>8} {:>6.1f} {:>5} {:>10} {:>11.2f} {:>8} {:>14.1f} {:>9.1f} {:>9.1f}\n",
                     pf::tools::to_string(model), loss, fec, bytes, r.delivered_percent(),
                     r.frames_lost, double(r.shards_recovered) / double(frames), r.tx_us_per_frame,
                     r.rx_us_per_frame);
          if (out)
            fmt::print(out, "{},{},{},{},{},{},{:.3f},{},{},{},{},{:.2f},{:.2f}\n",
                       pf::tools::to_string(model), loss,
                       model == pf::tools::LossModel::kBursty ? burst_len : 0.0, fec, bytes, frames,
                       r.delivered_percent(), r.frames_lost, r.packets_sent, r.packets_dropped,
                       r.shards_recovered, r.tx_us_per_frame, r.rx_us_per_frame);
          std::fflush(stdout);
        }
  if (out) {
    std::fclose(out);
    fmt::print("wrote {}\n", csv);
  }
  if (corrupt) {
    fmt::print(stderr, "ERROR: {} cells handed out a corrupt frame\n", corrupt);
    return 2;
  }
  return 0;
}
