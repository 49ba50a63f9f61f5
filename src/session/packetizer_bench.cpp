// SPDX-License-Identifier: MIT OR Apache-2.0
// Cost of packetize + FEC + seal per frame (goal: <= 250 us for a 1 MB frame
// at 20 % FEC with 1408-byte shards), with memcpy of the same frame as the
// in-run reference.
#include <cstring>
#include <vector>

#include <benchmark/benchmark.h>

#include "session/packetizer.h"

namespace {

void BM_Packetize(benchmark::State& state) {
  pf::session::PacketizerConfig cfg;
  cfg.key.assign(16, 1);
  cfg.fec_percent = static_cast<uint8_t>(state.range(1));
  auto pz = pf::session::Packetizer::create(cfg);
  std::vector<uint8_t> frame(state.range(0), 3);
  uint32_t index = 1;
  for (auto _ : state) {
    auto p = (*pz)->packetize({frame, index++, 0, false});
    benchmark::DoNotOptimize(p);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * frame.size()));
}

void BM_MemcpyFrame(benchmark::State& state) {
  std::vector<uint8_t> a(state.range(0), 3), b(state.range(0));
  for (auto _ : state) {
    std::memcpy(b.data(), a.data(), a.size());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * a.size()));
}

BENCHMARK(BM_Packetize)
    ->Args({100'000, 20})
    ->Args({1'000'000, 20})
    ->Args({4'000'000, 20})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MemcpyFrame)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
