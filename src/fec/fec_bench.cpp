// SPDX-License-Identifier: MIT OR Apache-2.0
// FEC throughput, single thread, all in one process so the ratios are fair:
// memcpy, our GF(2^8) Cauchy codec, Debian's ISA-L ec_encode_data with the same
// matrix, and (when present) our GF(2^16) codec. MB/s counts DATA bytes
// (k * shard). Decode = the first m data shards lost, rebuilt from m parity.
// After the runs a table prints each of our figures as a ratio to ISA-L.
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <isa-l/erasure_code.h>

#include "fec/cauchy_codec.h"
#include "fec/gf256.h"
#include "fec/leopard_codec.h"

namespace {

constexpr size_t kShard = 1408;

struct Shards {
  std::vector<std::vector<uint8_t>> bufs;
  std::vector<uint8_t*> ptrs;
  Shards(size_t n, size_t bytes) : bufs(n, std::vector<uint8_t>(bytes)) {
    std::mt19937 rng(static_cast<uint32_t>(n));
    for (auto& b : bufs) {
      for (auto& x : b)
        x = static_cast<uint8_t>(rng());
      ptrs.push_back(b.data());
    }
  }
};

void set_bytes(benchmark::State& state, size_t k) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * k * kShard));
}

void BM_Memcpy(benchmark::State& state) {
  const size_t k = state.range(0);
  std::vector<uint8_t> src(k * kShard, 1), dst(k * kShard);
  for (auto _ : state) {
    std::memcpy(dst.data(), src.data(), src.size());
    benchmark::DoNotOptimize(dst.data());
    benchmark::ClobberMemory();
  }
  set_bytes(state, k);
}

// ISA-L with nanors' Cauchy matrix (the same parity bytes as ours).
void BM_IsalEncode(benchmark::State& state) {
  const size_t k = state.range(0), m = state.range(1);
  Shards s(k + m, kShard);
  pf::fec::CauchyCodec ref;
  std::vector<uint8_t> matrix(m * k), tables(32 * k * m);
  for (size_t j = 0; j < m; ++j)
    for (size_t i = 0; i < k; ++i)
      matrix[j * k + i] = ref.parity_coefficient(k, m, j, i);
  ec_init_tables(static_cast<int>(k), static_cast<int>(m), matrix.data(), tables.data());
  for (auto _ : state) {
    ec_encode_data(kShard, static_cast<int>(k), static_cast<int>(m), tables.data(), s.ptrs.data(),
                   s.ptrs.data() + k);
    benchmark::ClobberMemory();
  }
  set_bytes(state, k);
}

// ISA-L decode of the first m data shards from m parity shards, with the decode
// matrix inverted once outside the loop (as an ISA-L user would cache it).
void BM_IsalDecode(benchmark::State& state) {
  const size_t k = state.range(0), m = state.range(1);
  Shards s(k + m, kShard);
  pf::fec::CauchyCodec ref;
  // Rows of the survivors: parity 0..m-1 then data m..k-1; invert, keep rows 0..m-1.
  std::vector<uint8_t> a(k * k, 0), scratch(k * k);
  for (size_t r = 0; r < k; ++r) {
    if (r < m) {
      for (size_t i = 0; i < k; ++i)
        a[r * k + i] = ref.parity_coefficient(k, m, r, i);
    } else {
      a[r * k + r] = 1;
    }
  }
  pf::fec::gf256::invert_matrix(a.data(), k, scratch.data());
  std::vector<uint8_t> tables(32 * k * m);
  ec_init_tables(static_cast<int>(k), static_cast<int>(m), a.data(), tables.data());
  std::vector<uint8_t*> in;
  for (size_t j = 0; j < m; ++j)
    in.push_back(s.ptrs[k + j]);
  for (size_t i = m; i < k; ++i)
    in.push_back(s.ptrs[i]);
  for (auto _ : state) {
    ec_encode_data(kShard, static_cast<int>(k), static_cast<int>(m), tables.data(), in.data(),
                   s.ptrs.data());
    benchmark::ClobberMemory();
  }
  set_bytes(state, k);
}

// The first m data shards lost: one contiguous run.
std::vector<uint8_t> first_m_lost(size_t k, size_t m) {
  std::vector<uint8_t> present(k + m, 1);
  for (size_t i = 0; i < m; ++i)
    present[i] = 0;
  return present;
}

// m shards lost at random among all k + m (fixed seed): erasures spread over the
// block, so the decoder cannot skip parts of its transforms as it can when the
// losses are one contiguous run.
std::vector<uint8_t> random_m_lost(size_t k, size_t m) {
  std::vector<uint8_t> present(k + m, 1);
  std::mt19937 rng(2026);
  for (size_t lost = 0; lost < m;) {
    const size_t i = rng() % (k + m);
    if (present[i]) {
      present[i] = 0;
      ++lost;
    }
  }
  return present;
}

template <typename Codec>
void BM_Encode(benchmark::State& state) {
  const size_t k = state.range(0), m = state.range(1);
  Shards s(k + m, kShard);
  Codec codec;
  for (auto _ : state) {
    auto st = codec.encode(k, m, kShard, s.ptrs.data(), s.ptrs.data() + k);
    if (!st.is_ok())
      state.SkipWithError(st.to_string().c_str());
    benchmark::DoNotOptimize(st);
  }
  set_bytes(state, k);
}

template <typename Codec, std::vector<uint8_t> (*Losses)(size_t, size_t)>
void BM_Decode(benchmark::State& state) {
  const size_t k = state.range(0), m = state.range(1);
  Shards s(k + m, kShard);
  Codec codec;
  (void)codec.encode(k, m, kShard, s.ptrs.data(), s.ptrs.data() + k);
  const std::vector<uint8_t> present = Losses(k, m);
  for (auto _ : state) {
    auto st = codec.decode(k, m, kShard, s.ptrs.data(), present);
    if (!st.is_ok())
      state.SkipWithError(st.to_string().c_str());
    benchmark::DoNotOptimize(st);
  }
  set_bytes(state, k);
}

void BM_Gf8Encode(benchmark::State& s) {
  BM_Encode<pf::fec::CauchyCodec>(s);
}
void BM_Gf8Decode(benchmark::State& s) {
  BM_Decode<pf::fec::CauchyCodec, first_m_lost>(s);
}
void BM_Gf16Encode(benchmark::State& s) {
  BM_Encode<pf::fec::LeopardCodec>(s);
}
void BM_Gf16Decode(benchmark::State& s) {
  BM_Decode<pf::fec::LeopardCodec, first_m_lost>(s);
}
void BM_Gf16DecodeRandom(benchmark::State& s) {
  BM_Decode<pf::fec::LeopardCodec, random_m_lost>(s);
}

// Loss patterns as a real stream has them: every block loses m data shards at
// other places. `count` distinct patterns (fixed seed) taken in turn; with
// more patterns than the codec caches, every block is a new pattern.
std::vector<std::vector<uint8_t>> patterns(size_t k, size_t m, size_t count) {
  std::mt19937 rng(static_cast<uint32_t>(k * 1000 + m));
  std::vector<std::vector<uint8_t>> out;
  while (out.size() < count) {
    std::vector<uint8_t> present(k + m, 1);
    for (size_t lost = 0; lost < m;) {
      const size_t i = rng() % k;
      lost += present[i] ? 1 : 0;
      present[i] = 0;
    }
    out.push_back(std::move(present));
  }
  return out;
}

// Ours, the pattern changing every block: 256 patterns in turn (every block a
// new plan), or 2 alternating (what the plan cache keeps).
void gf8_decode_changing(benchmark::State& state, size_t count) {
  const size_t k = state.range(0), m = state.range(1);
  Shards s(k + m, kShard);
  pf::fec::CauchyCodec codec;
  (void)codec.encode(k, m, kShard, s.ptrs.data(), s.ptrs.data() + k);
  const auto pool = patterns(k, m, count);
  size_t next = 0;
  for (auto _ : state) {
    auto st = codec.decode(k, m, kShard, s.ptrs.data(), pool[next]);
    next = (next + 1) % pool.size();
    if (!st.is_ok())
      state.SkipWithError(st.to_string().c_str());
    benchmark::DoNotOptimize(st);
  }
  set_bytes(state, k);
}
void BM_Gf8DecodeChanging(benchmark::State& s) {
  gf8_decode_changing(s, 256);
}
void BM_Gf8DecodeAlternating(benchmark::State& s) {
  gf8_decode_changing(s, 2);
}

// ISA-L as its users decode a new pattern: the k x k matrix of the k
// survivors' rows (data rows of the identity, parity rows of the Cauchy
// matrix), gf_invert_matrix, the lost rows of the inverse, ec_init_tables,
// ec_encode_data — per block, all inside the timing.
void BM_IsalDecodeChanging(benchmark::State& state) {
  const size_t k = state.range(0), m = state.range(1);
  Shards s(k + m, kShard);
  pf::fec::CauchyCodec ref;
  std::vector<uint8_t> full((k + m) * k, 0);  // the encode matrix: identity, then parity
  for (size_t i = 0; i < k; ++i)
    full[i * k + i] = 1;
  for (size_t j = 0; j < m; ++j)
    for (size_t i = 0; i < k; ++i)
      full[(k + j) * k + i] = ref.parity_coefficient(k, m, j, i);
  const auto pool = patterns(k, m, 256);
  std::vector<uint8_t> a(k * k), inv(k * k), rows(m * k), tables(32 * k * m);
  std::vector<uint8_t*> in(k), out(m);
  size_t next = 0;
  for (auto _ : state) {
    const auto& present = pool[next];
    next = (next + 1) % pool.size();
    size_t r = 0, e = 0;
    for (size_t i = 0; i < k + m && r < k; ++i)
      if (present[i]) {
        std::memcpy(&a[r * k], &full[i * k], k);
        in[r++] = s.ptrs[i];
      }
    if (gf_invert_matrix(a.data(), inv.data(), static_cast<int>(k)) != 0) {
      state.SkipWithError("singular");
      break;
    }
    for (size_t i = 0; i < k; ++i)
      if (!present[i]) {
        std::memcpy(&rows[e * k], &inv[i * k], k);
        out[e++] = s.ptrs[i];
      }
    ec_init_tables(static_cast<int>(k), static_cast<int>(e), rows.data(), tables.data());
    ec_encode_data(kShard, static_cast<int>(k), static_cast<int>(e), tables.data(), in.data(),
                   out.data());
    benchmark::ClobberMemory();
  }
  set_bytes(state, k);
}

void gf8_shapes(benchmark::internal::Benchmark* b) {
  b->Args({32, 8})->Args({64, 16})->Args({128, 32})->Args({200, 50});
}
void gf16_shapes(benchmark::internal::Benchmark* b) {
  b->Args({1000, 200})->Args({4000, 800})->Args({16000, 3200})->Args({32000, 6400});
}

BENCHMARK(BM_Memcpy)->Arg(32)->Arg(200)->Arg(1000)->Arg(32000);
BENCHMARK(BM_Gf8Encode)->Apply(gf8_shapes);
BENCHMARK(BM_IsalEncode)->Apply(gf8_shapes);
BENCHMARK(BM_Gf8Decode)->Apply(gf8_shapes);
BENCHMARK(BM_IsalDecode)->Apply(gf8_shapes);
BENCHMARK(BM_Gf8DecodeChanging)->Apply(gf8_shapes);
BENCHMARK(BM_Gf8DecodeAlternating)->Apply(gf8_shapes);
BENCHMARK(BM_IsalDecodeChanging)->Apply(gf8_shapes);
BENCHMARK(BM_Gf16Encode)->Apply(gf16_shapes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Gf16Decode)->Apply(gf16_shapes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Gf16DecodeRandom)->Apply(gf16_shapes)->Unit(benchmark::kMillisecond);

// Records bytes/s per run so main() can print ratios.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  std::map<std::string, double> mbps;
  void ReportRuns(const std::vector<Run>& runs) override {
    // With --benchmark_repetitions the median stands for the benchmark (it is
    // reported after the single runs and replaces them).
    for (const auto& r : runs) {
      auto it = r.counters.find("bytes_per_second");
      const bool median = r.run_type == Run::RT_Aggregate && r.aggregate_name == "median";
      if (it != r.counters.end() && (r.run_type == Run::RT_Iteration || median))
        mbps[r.run_name.str()] = it->second.value / 1e6;
    }
    ConsoleReporter::ReportRuns(runs);
  }
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 1;
  std::printf("FEC kernels: %s (PUNKTFUNK_FEC_ISA caps it)\n",
              std::string(pf::fec::isa_name(pf::fec::best_isa())).c_str());
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  std::printf("\nMB/s = 10^6 bytes of data per second (k x 1408 B per block)\n");
  std::printf("%-22s %12s %12s %8s\n", "shape (k,m)", "ours MB/s", "ISA-L MB/s", "ratio");
  for (const char* op : {"Encode", "Decode"}) {
    for (const char* shape : {"32/8", "64/16", "128/32", "200/50"}) {
      auto ours = reporter.mbps.find(std::string("BM_Gf8") + op + "/" + shape);
      auto isal = reporter.mbps.find(std::string("BM_Isal") + op + "/" + shape);
      if (ours == reporter.mbps.end() || isal == reporter.mbps.end())
        continue;
      std::printf("GF8 %-6s %-11s %12.0f %12.0f %7.2fx\n", op, shape, ours->second, isal->second,
                  ours->second / isal->second);
    }
  }
  std::printf(
      "\nGF(2^8) decode, m data shards lost, the pattern new every block (256 in turn) or\n"
      "alternating between 2, as a ratio to the same decoder with one fixed pattern:\n");
  std::printf("%-12s %10s %10s %10s %8s %8s %12s %8s\n", "shape (k,m)", "fixed", "changing",
              "alternate", "chg/fix", "alt/fix", "ISA-L chg", "ours/IL");
  for (const char* shape : {"32/8", "64/16", "128/32", "200/50"}) {
    auto get = [&](const std::string& name) {
      auto it = reporter.mbps.find(name + "/" + shape);
      return it == reporter.mbps.end() ? 0.0 : it->second;
    };
    const double fixed = get("BM_Gf8Decode"), chg = get("BM_Gf8DecodeChanging"),
                 alt = get("BM_Gf8DecodeAlternating"), isal = get("BM_IsalDecodeChanging");
    if (fixed <= 0 || chg <= 0)
      continue;
    std::printf("%-12s %10.0f %10.0f %10.0f %7.2fx %7.2fx %12.0f %7.2fx\n", shape, fixed, chg, alt,
                chg / fixed, alt / fixed, isal, isal > 0 ? chg / isal : 0.0);
  }
  for (const char* op : {"Encode", "Decode", "DecodeRandom"}) {
    for (const char* shape : {"1000/200", "4000/800", "16000/3200", "32000/6400"}) {
      auto ours = reporter.mbps.find(std::string("BM_Gf16") + op + "/" + shape);
      if (ours == reporter.mbps.end())
        continue;
      std::printf("GF16 %-12s %-10s %12.0f\n", op, shape, ours->second);
    }
  }
  benchmark::Shutdown();
  return 0;
}
