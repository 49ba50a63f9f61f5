// SPDX-License-Identifier: MIT OR Apache-2.0
// Cost of reassembly per frame (1408-byte shards, 20 % FEC, AES-128-GCM):
// authenticate + decrypt each packet, rebuild lost data shards with FEC, hand
// the frame out. 64 frames are packetized once, with a fixed loss pattern;
// the timed loop feeds them in turn to a Reassembler that is replaced (untimed)
// after every 64, so the replay window accepts them again. memcpy of the same
// frame is the in-run reference.
#include <cstring>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "session/packetizer.h"
#include "session/reassembler.h"

namespace {

using namespace pf::session;

void BM_Reassemble(benchmark::State& state) {
  const size_t bytes = static_cast<size_t>(state.range(0));
  const int loss_percent = static_cast<int>(state.range(1));
  PacketizerConfig pc;
  pc.key.assign(16, 1);
  pc.fec_percent = 20;
  auto tx = Packetizer::create(pc);
  // 64 frames' packets, with the same losses every round.
  constexpr uint32_t kFrames = 64;
  std::vector<uint8_t> frame(bytes, 5);
  std::vector<std::vector<std::vector<uint8_t>>> frames(kFrames);
  std::mt19937 rng(1);
  for (uint32_t i = 0; i < kFrames; ++i) {
    const auto packets = (*tx)->packetize({frame, i + 1, 0, false});
    for (auto p : *packets)
      if (static_cast<int>(rng() % 100) >= loss_percent)
        frames[i].emplace_back(p.begin(), p.end());
  }
  ReassemblerConfig rc;
  rc.key = pc.key;
  std::unique_ptr<Reassembler> rx;
  uint32_t i = kFrames;
  size_t delivered = 0;
  for (auto _ : state) {
    if (i == kFrames) {
      state.PauseTiming();
      rx = std::move(*Reassembler::create(rc));
      i = 0;
      state.ResumeTiming();
    }
    for (const auto& p : frames[i])
      rx->push(p, 0);
    while (auto ev = rx->poll(0))
      delivered += ev->kind == ReassemblyEvent::Kind::kFrame;
    ++i;
  }
  state.counters["delivered"] = static_cast<double>(delivered) / state.iterations();
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}

void BM_MemcpyFrame(benchmark::State& state) {
  std::vector<uint8_t> a(state.range(0), 3), b(state.range(0));
  for (auto _ : state) {
    std::memcpy(b.data(), a.data(), a.size());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * a.size()));
}

BENCHMARK(BM_Reassemble)
    ->Args({100'000, 0})
    ->Args({100'000, 5})
    ->Args({1'000'000, 0})
    ->Args({1'000'000, 5})
    ->Args({4'000'000, 5})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MemcpyFrame)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
