// SPDX-License-Identifier: MIT OR Apache-2.0
// pf_mic_bench: the microphone uplink's latency, from the client's capture of
// a packet's first sample to that sample leaving the punktfunk-mic source, at
// real PipeWire quanta of 256, 480, 1024 and 2048 frames, on an idle machine
// and with busy loops on every core. Each case starts a private PipeWire at
// exact quanta, the source, a client pushing a 440 Hz sine as 10 ms Opus
// packets in real time, and a recorder at the quantum; it prints one Markdown
// row (bench/report.sh collects them). A benchmark, not a test: it asserts
// only that something was measured. PF_MIC_BENCH_SECONDS sets the recording
// length (default 10).
#include <cstdlib>
#include <tuple>

#include "host/audio/mic_test_support.h"

namespace pf::host {
namespace {

class MicBench : public testing::MicFixture,
                 public ::testing::WithParamInterface<std::tuple<int, bool>> {};

TEST_P(MicBench, CaptureToSource) {
  const auto [quantum, loaded] = GetParam();
  const char* env = std::getenv("PF_MIC_BENCH_SECONDS");
  const int seconds = env ? std::max(2, std::atoi(env)) : 10;
  testing::SineClient client(*mic_);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::unique_ptr<testing::CpuBurner> burner;
  if (loaded)
    burner = std::make_unique<testing::CpuBurner>();
  const auto a = testing::record_and_analyse(dir_, MicSource::kNodeName, quantum, seconds);
  burner.reset();
  const MicStats st = mic_->stats();
  ASSERT_GT(st.latency_samples, 0u);
  ASSERT_GT(a.windows, 0u);
  std::printf("mic bench | %d%s | %s | %.1f | %.1f | %.1f | %.2f %% | %zu | %lu | %s |\n", quantum,
              st.quantum_frames == static_cast<uint64_t>(quantum) ? "" : " (not run)",
              loaded ? "every core busy" : "idle", st.latency_ms_p50, st.latency_ms_p99,
              st.depth_ms_p50, 100.0 * a.silent_windows / a.windows, a.discontinuities,
              static_cast<unsigned long>(st.underruns), st.realtime() ? "real-time" : "normal");
}

INSTANTIATE_TEST_SUITE_P(Quanta,
                         MicBench,
                         ::testing::Combine(::testing::Values(256, 480, 1024, 2048),
                                            ::testing::Bool()));

}  // namespace
}  // namespace pf::host
