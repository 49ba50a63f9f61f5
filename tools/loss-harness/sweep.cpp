// SPDX-License-Identifier: MIT OR Apache-2.0
#include "sweep.h"

#include <time.h>

#include <algorithm>
#include <vector>

#include "session/packetizer.h"
#include "session/reassembler.h"

namespace pf::tools {

namespace {

uint64_t thread_cpu_ns() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return uint64_t(ts.tv_sec) * 1'000'000'000ull + uint64_t(ts.tv_nsec);
}

void fill(std::vector<uint8_t>& f, uint32_t index) {
  uint64_t x = index * 0x9E3779B97F4A7C15ull | 1;
  for (auto& b : f) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    b = static_cast<uint8_t>(x);
  }
}

}  // namespace

const char* to_string(LossModel m) {
  return m == LossModel::kUniform ? "uniform" : "bursty";
}

double CellResult::delivered_percent() const {
  const size_t n = frames_intact + frames_lost;
  return n ? 100.0 * double(frames_intact) / double(n) : 0.0;
}

CellResult run_cell(const Cell& c) {
  constexpr uint64_t kInterval = 16'667;
  session::PacketizerConfig pc;
  pc.shard_bytes = c.shard_bytes;
  pc.fec_percent = static_cast<uint8_t>(c.fec_percent);
  pc.key.assign(16, 0x11);
  session::ReassemblerConfig rc;
  rc.shard_bytes = c.shard_bytes;
  rc.key = pc.key;
  rc.frame_deadline_us = 2 * kInterval;
  rc.max_frame_bytes = std::max<size_t>(rc.max_frame_bytes, c.frame_bytes);
  rc.max_buffer_bytes = std::max<size_t>(rc.max_buffer_bytes, 24 * c.frame_bytes);
  auto tx = session::Packetizer::create(pc);
  auto rx = session::Reassembler::create(rc);
  CellResult r;
  if (!tx || !rx)
    return r;
  sim::LinkConfig lc =
      c.model == LossModel::kUniform ? sim::LinkConfig{} : sim::bursty(c.loss, c.burst_len, c.seed);
  lc.loss = c.model == LossModel::kUniform ? c.loss : 0.0;
  lc.seed = c.seed;
  sim::Link link(lc);

  std::vector<uint8_t> frame(c.frame_bytes), expect(c.frame_bytes);
  uint64_t tx_ns = 0, rx_ns = 0;
  auto consume = [&](uint64_t now) {
    uint64_t t0 = thread_cpu_ns();
    link.deliver(now, [&](std::span<const uint8_t> p) { (*rx)->push(p, now); });
    while (auto ev = (*rx)->poll(now)) {
      if (ev->kind == session::ReassemblyEvent::Kind::kFrameLost) {
        r.frames_lost += ev->count;
        continue;
      }
      rx_ns += thread_cpu_ns() - t0;  // checking content is not reassembly work
      fill(expect, ev->frame_index);
      if (std::ranges::equal(ev->data, expect)) {
        ++r.frames_intact;
      } else {
        ++r.frames_corrupt;
        ++r.frames_lost;
      }
      t0 = thread_cpu_ns();
    }
    rx_ns += thread_cpu_ns() - t0;
  };
  for (uint32_t i = 1; i <= c.frames; ++i) {
    const uint64_t now = i * kInterval;
    fill(frame, i);
    const uint64_t t0 = thread_cpu_ns();
    auto packets = (*tx)->packetize({frame, i, now, false});
    tx_ns += thread_cpu_ns() - t0;
    if (!packets)
      return r;
    for (auto p : *packets)
      link.send(p, now);
    consume(now);
  }
  consume((c.frames + 4) * kInterval);
  r.packets_sent = link.stats().sent;
  r.packets_dropped = link.stats().dropped;
  r.shards_recovered = (*rx)->stats().shards_recovered;
  r.tx_us_per_frame = tx_ns / 1e3 / double(c.frames);
  r.rx_us_per_frame = rx_ns / 1e3 / double(c.frames);
  return r;
}

}  // namespace pf::tools
