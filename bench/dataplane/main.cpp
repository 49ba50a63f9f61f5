// SPDX-License-Identifier: MIT OR Apache-2.0
// pf_dataplane_bench: a video data plane end to end on one machine. A host
// thread packetizes (FEC + AES-128-GCM), paces and sends frames through a
// real UDP socket (sendmmsg + GSO); a client thread receives (recvmmsg +
// GRO), drops a share of packets at random before reassembly, and
// reassembles. Prints goodput, CPU per side and latency percentiles.
// --protocol gamestream runs GameStream's video path instead (RTP + NV
// header, GF(2^8) FEC in at most 4 blocks of 255 packets, no encryption
// unless --gs-encrypt), for the comparison in docs/performance.md.
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "net/udp_socket.h"
#include "proto/gamestream/video.h"
#include "session/pacing.h"
#include "session/packetizer.h"
#include "session/reassembler.h"
#include "sim/link.h"

namespace {

using namespace pf;

uint64_t now_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return uint64_t(ts.tv_sec) * 1'000'000'000ull + uint64_t(ts.tv_nsec);
}

void sleep_until_ns(uint64_t t) {
  timespec ts{static_cast<time_t>(t / 1'000'000'000ull), static_cast<long>(t % 1'000'000'000ull)};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
  }
}

double thread_cpu_s() {
  rusage ru{};
  getrusage(RUSAGE_THREAD, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p / 100.0 * (v.size() - 1) + 0.5))];
}

struct Options {
  double seconds = 5;
  double warmup = 0;  // seconds sent before the measured ones
  size_t frame_bytes = 1'000'000;
  double offered_gbps = 12;
  double pace_factor = 1.5;
  unsigned fec_percent = 20;
  double drop_percent = 5;
  double burst = 0;  // mean burst length of the drops (0: uniform)
  uint16_t shard_bytes = 1408;
  bool gso = true, gro = true;
  size_t batch = 8;
  double min_delivered = 0;
  std::string csv;
  std::string protocol = "punktfunk";
  bool gs_encrypt = false;
  size_t block_limit = 0;
};

struct SenderResult {
  uint64_t frames = 0, packets = 0, bytes = 0, syscalls = 0;
  uint64_t refused = 0;  // frames the packetizer could not send (too big)
  std::string refusal;
  double cpu_s = 0, wall_s = 0;
  std::string error;
};

struct ReceiverResult {
  uint64_t packets = 0, dropped = 0, frames = 0, frames_lost = 0, bad = 0, bytes = 0;
  uint64_t warm_frames = 0, warm_lost = 0;  // during --warmup
  double cpu_s = 0, wall_s = 0;
  double longest_busy_us = 0;  // longest time between two receive calls
  std::vector<double> latency_us, added_us;
  session::ReassemblerStats stats;
  std::string error;
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"punktfunk/1 data plane over loopback UDP: goodput, CPU, latency"};
  app.add_option("--seconds", o.seconds, "How long the host sends")->capture_default_str();
  app.add_option("--warmup", o.warmup,
                 "Seconds streamed first and not counted (reported on their own)")
      ->capture_default_str();
  app.add_option("--frame-bytes", o.frame_bytes, "Size of every frame")->capture_default_str();
  app.add_option("--gbps", o.offered_gbps, "Offered load in Gbit/s (frame rate follows)")
      ->capture_default_str();
  app.add_option("--pace", o.pace_factor, "Pacing rate as a multiple of the offered load")
      ->capture_default_str();
  app.add_option("--fec", o.fec_percent, "FEC parity percent")->capture_default_str();
  app.add_option("--drop", o.drop_percent, "Percent of packets dropped before reassembly")
      ->capture_default_str();
  app.add_option("--burst", o.burst,
                 "Drops in bursts of this mean length (Gilbert-Elliott); 0: uniform")
      ->capture_default_str();
  app.add_option("--shard", o.shard_bytes, "Shard bytes (multiple of 64)")->capture_default_str();
  app.add_flag("!--no-gso", o.gso, "Do not use UDP GSO on the sender");
  app.add_flag("!--no-gro", o.gro, "Do not use UDP GRO on the receiver");
  app.add_option("--batch", o.batch, "Datagrams per recvmmsg (GRO: up to 64 packets each)")
      ->capture_default_str();
  app.add_option("--min-delivered", o.min_delivered,
                 "Exit with status 3 if fewer than this percent of frames arrive intact");
  app.add_option("--csv", o.csv, "Append one result line to this CSV file");
  app.add_option("--protocol", o.protocol, "punktfunk (punktfunk/1) or gamestream")
      ->check(CLI::IsMember({"punktfunk", "gamestream"}))
      ->capture_default_str();
  app.add_option("--block-limit", o.block_limit,
                 "punktfunk: most data shards per FEC block (0: within GF(2^8))")
      ->capture_default_str();
  app.add_flag("--gs-encrypt", o.gs_encrypt, "gamestream: encrypt video (AES-GCM per packet)");
  CLI11_PARSE(app, argc, argv);
  const bool gs = o.protocol == "gamestream";
  if (gs)
    o.shard_bytes = 1392;  // GameStream's packet size (a multiple of 16)

  std::vector<uint8_t> key(16, 0x77);
  net::UdpOptions uo;
  uo.gso = o.gso;
  uo.gro = o.gro;
  uo.send_buffer_bytes = uo.recv_buffer_bytes = 32 << 20;
  auto rx_sock = net::UdpSocket::open(net::Address::loopback_v4(0), uo);
  auto tx_sock = net::UdpSocket::open(net::Address::loopback_v4(0), uo);
  if (!rx_sock || !tx_sock) {
    fmt::print(stderr, "socket: {}\n", (!rx_sock ? rx_sock.error() : tx_sock.error()).to_string());
    return 1;
  }
  if (auto st = tx_sock->connect(rx_sock->local_address()); !st.is_ok()) {
    fmt::print(stderr, "{}\n", st.to_string());
    return 1;
  }
  const uint64_t offered_bps = static_cast<uint64_t>(o.offered_gbps * 1e9);
  const uint64_t interval_ns =
      offered_bps ? uint64_t(double(o.frame_bytes) * 8 * 1e9 / double(offered_bps)) : 0;
  // Send times by frame index, for GameStream's receiver (its frames carry no
  // send time the bench can read).
  const size_t max_frames =
      interval_ns ? std::min<size_t>(size_t(o.seconds * 1e9 / double(interval_ns)) + 64, 1 << 22)
                  : 1 << 22;
  std::vector<std::atomic<uint64_t>> sent_ns(max_frames);
  fmt::print(
      "data plane ({}): {} B frames every {:.1f} us ({:.1f} Gbit/s offered, {:.0f} fps), "
      "shards {} B, FEC {} %, drop {} % ({}), {}\n"
      "sockets: GSO {}, GRO {}, send buffer {} KiB, receive buffer {} KiB\n",
      gs ? "GameStream" : "punktfunk/1", o.frame_bytes, interval_ns / 1e3, o.offered_gbps,
      interval_ns ? 1e9 / interval_ns : 0.0, o.shard_bytes, o.fec_percent, o.drop_percent,
      o.burst > 1 ? fmt::format("bursts of {:g} on average", o.burst) : "uniform",
      gs ? (o.gs_encrypt ? "AES-128-GCM" : "no encryption") : "AES-128-GCM",
      tx_sock->gso() ? "on" : "off", rx_sock->gro() ? "on" : "off",
      tx_sock->send_buffer_bytes() / 1024, rx_sock->recv_buffer_bytes() / 1024);

  std::atomic<bool> sender_done{false};
  // Set by the sender when the measured seconds begin: frames up to
  // warm_last were the warm-up.
  std::atomic<bool> measuring{o.warmup <= 0};
  std::atomic<uint32_t> warm_last{0};
  SenderResult sr;
  ReceiverResult rr;

  std::thread receiver([&] {
    session::ReassemblerConfig rc;
    rc.shard_bytes = gs ? 1408 : o.shard_bytes;  // unused for GameStream
    rc.key = key;
    rc.frame_deadline_us = std::max<uint64_t>(20'000, 4 * interval_ns / 1000);
    rc.max_frame_bytes =
        std::max(rc.max_frame_bytes, o.frame_bytes);  // the client's 32 MB, or more
    auto rx = session::Reassembler::create(rc);
    if (!rx) {
      rr.error = rx.error().to_string();
      return;
    }
    std::array<uint8_t, 16> gs_key{};
    std::copy(key.begin(), key.end(), gs_key.begin());
    proto::gamestream::VideoReceiver gs_rx(o.shard_bytes, o.gs_encrypt, gs_key);
    net::RecvBatch batch(o.batch);
    std::mt19937_64 rng(1);
    const uint64_t drop_below = static_cast<uint64_t>(o.drop_percent / 100.0 * double(UINT64_MAX));
    // Bursty drops: a two-state chain (sim::bursty) with the same mean rate.
    const sim::LinkConfig ge = sim::bursty(o.drop_percent / 100.0, o.burst);
    const auto chance = [](double p) { return static_cast<uint64_t>(p * double(UINT64_MAX)); };
    const uint64_t enter_bad = chance(ge.p_good_bad), leave_bad = chance(ge.p_bad_good);
    bool bad = false;
    const auto drop = [&] {
      if (o.burst <= 1)
        return rng() < drop_below;
      bad = bad ? rng() >= leave_bad : rng() < enter_bad;
      return bad;
    };
    rr.latency_us.reserve(1 << 20);
    rr.added_us.reserve(1 << 20);
    double cpu0 = thread_cpu_s();
    uint64_t first_ns = 0, last_ns = 0, idle_since = 0;
    bool counting = false;
    // Frames [from, from + count) of an event: how many were warm-up frames.
    const auto warm_share = [&](uint32_t from, uint32_t count) -> uint32_t {
      if (!measuring.load())
        return count;
      const uint32_t last = warm_last.load();
      return from > last ? 0 : std::min(count, last - from + 1);
    };
    for (uint64_t busy_from = 0;;) {
      if (!counting && measuring.load()) {  // the measured seconds begin
        counting = true;
        cpu0 = thread_cpu_s();
        first_ns = now_ns();
        rr.packets = rr.dropped = 0;
        rr.longest_busy_us = 0;
      }
      if (busy_from)
        rr.longest_busy_us = std::max(rr.longest_busy_us, double(now_ns() - busy_from) / 1000);
      const Status st = rx_sock->receive(batch, 50);
      const uint64_t t = now_ns();
      busy_from = t;
      if (!st.is_ok()) {
        if (st.code() != StatusCode::kTimeout) {
          rr.error = st.to_string();
          break;
        }
        if (sender_done.load() &&
            (idle_since == 0 ? (idle_since = t, false) : t - idle_since > 200'000'000ull))
          break;
        continue;
      }
      idle_since = 0;
      if (!first_ns)
        first_ns = t;
      if (!counting)
        last_ns = t;
      for (auto p : batch.packets()) {
        ++rr.packets;
        if (drop()) {
          ++rr.dropped;
          continue;
        }
        if (!gs) {
          (*rx)->push(p, t / 1000);
          continue;
        }
        if (auto au = gs_rx.push(p)) {
          const uint64_t tp = now_ns();
          if (warm_share(gs_rx.last_frame_index(), 1)) {
            ++rr.warm_frames;
            continue;
          }
          ++rr.frames;
          rr.bytes += au->size();
          if (au->size() != o.frame_bytes)
            ++rr.bad;
          const uint32_t idx = gs_rx.last_frame_index();
          if (idx < sent_ns.size())
            rr.latency_us.push_back(double(tp - sent_ns[idx].load()) / 1000);
          last_ns = tp;
        }
      }
      if (gs)
        continue;
      const uint64_t tp = now_ns();
      while (auto ev = (*rx)->poll(tp / 1000)) {
        const uint32_t warm = warm_share(ev->frame_index, ev->count);
        if (ev->kind == session::ReassemblyEvent::Kind::kFrameLost) {
          rr.warm_lost += warm;
          rr.frames_lost += ev->count - warm;
          continue;
        }
        if (warm) {
          ++rr.warm_frames;
          continue;
        }
        ++rr.frames;
        rr.bytes += ev->data.size();
        if (ev->data.size() != o.frame_bytes)
          ++rr.bad;
        rr.latency_us.push_back(double(tp / 1000 - ev->capture_us));
        rr.added_us.push_back(double(tp / 1000 - ev->done_us));
        last_ns = tp;
      }
    }
    rr.cpu_s = thread_cpu_s() - cpu0;
    rr.wall_s = (last_ns - first_ns) / 1e9;
    rr.stats = (*rx)->stats();
    if (gs)
      rr.stats.shards_recovered = gs_rx.recovered_shards();
  });

  std::thread sender([&] {
    session::PacketizerConfig pc;
    pc.shard_bytes = gs ? 1408 : o.shard_bytes;  // unused for GameStream
    pc.fec_percent = static_cast<uint8_t>(o.fec_percent);
    pc.key = key;
    pc.block_limit = o.block_limit;
    auto tx = session::Packetizer::create(pc);
    if (!tx) {
      sr.error = tx.error().to_string();
      sender_done = true;
      return;
    }
    proto::gamestream::VideoSenderConfig gc;
    gc.packet_size = o.shard_bytes;
    gc.fec_percent = static_cast<int>(o.fec_percent);
    gc.encrypt = o.gs_encrypt;
    std::copy(key.begin(), key.end(), gc.key.begin());
    auto gs_tx = proto::gamestream::VideoSender::create(gc);
    if (!gs_tx) {
      sr.error = gs_tx.error().to_string();
      sender_done = true;
      return;
    }
    const size_t packet_bytes = gs ? (*gs_tx)->datagram_bytes() : (*tx)->packet_bytes();
    std::vector<uint8_t> frame(o.frame_bytes);
    std::mt19937 rng(2);
    for (auto& b : frame)
      b = static_cast<uint8_t>(rng());
    double cpu0 = thread_cpu_s();
    uint64_t start = now_ns();
    const uint64_t measure_from = start + uint64_t(o.warmup * 1e9);
    const uint64_t end = measure_from + uint64_t(o.seconds * 1e9);
    uint64_t next = start;
    const uint64_t pace_bps = uint64_t(double(offered_bps) * o.pace_factor);
    for (uint32_t index = 1;; ++index) {
      uint64_t t = now_ns();
      if (t >= end)
        break;
      if (next > t)
        sleep_until_ns(next);
      t = now_ns();
      next = std::max(next + interval_ns, t);  // a late frame does not bunch the next ones
      if (!measuring.load() && t >= measure_from) {
        warm_last = index - 1;
        measuring = true;
        sr = {};
        cpu0 = thread_cpu_s();
        start = t;
      }
      if (index < sent_ns.size())
        sent_ns[index] = t;
      auto packets = gs ? (*gs_tx)->packetize(frame, index, uint32_t(t / 11111),
                                              proto::gamestream::FrameType::kP)
                        : (*tx)->packetize({frame, index, t / 1000, false});
      if (!packets) {
        if (!gs) {
          sr.error = packets.error().to_string();
          break;
        }
        ++sr.refused;  // GameStream: a frame too big for its packet format
        sr.refusal = packets.error().message();
        continue;
      }
      const auto plan = session::plan_pacing(packets->size(), packet_bytes, pace_bps);
      for (size_t g = 0; g < plan.groups; ++g) {
        if (g > 0)
          sleep_until_ns(t + plan.offset_ns(g));
        const size_t first = g * plan.packets_per_group;
        const auto group =
            packets->subspan(first, std::min(plan.packets_per_group, packets->size() - first));
        auto calls = tx_sock->send(group);
        if (!calls) {
          sr.error = calls.error().to_string();
          break;
        }
        sr.syscalls += *calls;
      }
      if (!sr.error.empty())
        break;
      ++sr.frames;
      sr.packets += packets->size();
      sr.bytes += o.frame_bytes;
    }
    sr.cpu_s = thread_cpu_s() - cpu0;
    sr.wall_s = (now_ns() - start) / 1e9;
    sender_done = true;
  });

  sender.join();
  receiver.join();
  if (!sr.error.empty() || !rr.error.empty()) {
    fmt::print(stderr, "error: {}{}\n", sr.error, rr.error);
    return 1;
  }
  const auto& st = rr.stats;
  const double goodput = rr.wall_s > 0 ? rr.bytes * 8 / rr.wall_s / 1e9 : 0;
  const uint64_t offered_frames = sr.frames + sr.refused;
  const double delivered = offered_frames ? 100.0 * rr.frames / offered_frames : 0;
  if (gs)
    rr.frames_lost = sr.frames > rr.frames ? sr.frames - rr.frames : 0;
  if (sr.refused)
    fmt::print("host:   {} frames could not be sent: {}\n", sr.refused, sr.refusal);
  if (o.warmup > 0)
    fmt::print("warm-up ({:g} s, not counted below): {} frames intact, {} lost\n", o.warmup,
               rr.warm_frames, rr.warm_lost);
  const uint64_t kernel_lost = sr.packets > rr.packets ? sr.packets - rr.packets : 0;
  fmt::print(
      "host:   {} frames, {} packets, {:.2f} Gbit/s sent (payload), {:.0f} syscalls/s, CPU {:.0f} "
      "% "
      "of one core ({:.1f} us/frame)\n"
      "client: {} packets ({} dropped on purpose, {} lost in the kernel), {} frames intact "
      "({:.2f} %), {} lost, {} wrong size\n"
      "        {} shards recovered in {} blocks, CPU {:.0f} % of one core ({:.1f} us/frame), "
      "longest between receives {:.0f} us\n"
      "goodput {:.2f} Gbit/s; frame latency submit->complete p50 {:.0f} us p99 {:.0f} us; "
      "reassembly added p50 {:.0f} us p99 {:.0f} us\n",
      sr.frames, sr.packets, sr.bytes * 8 / sr.wall_s / 1e9, sr.syscalls / sr.wall_s,
      100 * sr.cpu_s / sr.wall_s, sr.frames ? 1e6 * sr.cpu_s / sr.frames : 0.0, rr.packets,
      rr.dropped, kernel_lost, rr.frames, delivered, rr.frames_lost, rr.bad, st.shards_recovered,
      st.blocks_recovered, rr.wall_s > 0 ? 100 * rr.cpu_s / rr.wall_s : 0.0,
      rr.frames ? 1e6 * rr.cpu_s / rr.frames : 0.0, rr.longest_busy_us, goodput,
      percentile(rr.latency_us, 50), percentile(rr.latency_us, 99), percentile(rr.added_us, 50),
      percentile(rr.added_us, 99));
  if (!o.csv.empty()) {
    std::FILE* f = std::fopen(o.csv.c_str(), "a");
    if (f) {
      fmt::print(f,
                 "{},{},{},{},{},{:.3f},{:.2f},{:.1f},{:.1f},{:.0f},{:.0f},{:.0f},{:.0f},{},{},{:g}"
                 ",{},{}\n",
                 o.frame_bytes, o.offered_gbps, o.fec_percent, o.drop_percent, o.shard_bytes,
                 goodput, delivered, 100 * sr.cpu_s / sr.wall_s,
                 rr.wall_s > 0 ? 100 * rr.cpu_s / rr.wall_s : 0.0, percentile(rr.latency_us, 50),
                 percentile(rr.latency_us, 99), percentile(rr.added_us, 50),
                 percentile(rr.added_us, 99), o.protocol, sr.frames, o.burst, rr.warm_frames,
                 rr.warm_lost);
      std::fclose(f);
    }
  }
  if (rr.bad != 0)
    return 2;
  return delivered >= o.min_delivered ? 0 : 3;
}
