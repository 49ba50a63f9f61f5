// SPDX-License-Identifier: MIT OR Apache-2.0
// Seal throughput per packet size for every AEAD backend, in one process.
#include <array>
#include <vector>

#include <benchmark/benchmark.h>

#include "crypto/aead.h"

namespace {

void run(benchmark::State& state, pf::crypto::AeadAlgorithm alg, pf::crypto::AeadBackend be) {
  const size_t len = state.range(0);
  std::vector<uint8_t> key(alg == pf::crypto::AeadAlgorithm::kAes128Gcm ? 16 : 32, 3);
  auto a = pf::crypto::Aead::create(alg, key, be);
  if (!a) {
    state.SkipWithError(a.error().to_string().c_str());
    return;
  }
  std::vector<uint8_t> buf(len + pf::crypto::kTagBytes, 1), aad(32, 2);
  std::array<uint8_t, pf::crypto::kNonceBytes> nonce{};
  uint64_t pn = 0;
  for (auto _ : state) {
    nonce[11] = static_cast<uint8_t>(++pn);
    (*a)->seal(nonce, aad, std::span<const uint8_t>(buf.data(), len), buf.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * len));
  state.SetLabel(std::string((*a)->name()));
}

void BM_SealAesGcmIpsecMb(benchmark::State& s) {
  run(s, pf::crypto::AeadAlgorithm::kAes128Gcm, pf::crypto::AeadBackend::kIpsecMb);
}
void BM_SealAesGcmOpenSsl(benchmark::State& s) {
  run(s, pf::crypto::AeadAlgorithm::kAes128Gcm, pf::crypto::AeadBackend::kOpenSsl);
}
void BM_SealChaChaOpenSsl(benchmark::State& s) {
  run(s, pf::crypto::AeadAlgorithm::kChaCha20Poly1305, pf::crypto::AeadBackend::kOpenSsl);
}
BENCHMARK(BM_SealAesGcmIpsecMb)->Arg(1408)->Arg(8960);
BENCHMARK(BM_SealAesGcmOpenSsl)->Arg(1408)->Arg(8960);
BENCHMARK(BM_SealChaChaOpenSsl)->Arg(1408)->Arg(8960);

}  // namespace

BENCHMARK_MAIN();
