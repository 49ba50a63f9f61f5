// SPDX-License-Identifier: MIT OR Apache-2.0
// The microphone uplink end to end, with a real PipeWire the test starts: a
// punktfunk/1 client sends a 440 Hz sine as Opus mic datagrams (MicTone),
// the host's session reader hands them to the MicService, and pw-record
// records the "punktfunk-mic" source at real quanta of 480 and 8192. Then
// PipeWire is killed and restarted mid-stream: the source comes back and the
// tone resumes. Checks function with margins a loaded CI machine holds and
// prints the figures; the latency goals are bench/mic.sh's.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "client/app/mic_tone.h"
#include "host/audio/mic_service.h"
#include "host/audio/pw_test_env.h"
#include "host/native/native_test_support.h"

namespace pf::host::native {
namespace {

using namespace std::chrono_literals;

class NativeMicTest : public host::testing::PipeWireEnv {
 protected:
  NativeMicTest() { exact_quantum_ = true; }
};

bool node_exists() {
  return std::system("pw-cli ls Node 2>/dev/null | grep -q 'node.name = \"punktfunk-mic\"'") == 0;
}

void expect_clean_tone(const host::testing::ToneAnalysis& a, const char* when) {
  ASSERT_GT(a.samples, 48000u) << when;
  EXPECT_GT(a.worst_ratio, 1000) << when;
  EXPECT_LT(static_cast<double>(a.silent_windows) / static_cast<double>(a.windows), 0.01) << when;
  EXPECT_NEAR(a.rms, 0.177, 0.177 * 0.05) << when;
  std::printf("%s: %zu of %zu 10 ms windows silent, RMS %.4f, 440 Hz %.0fx\n", when,
              a.silent_windows, a.windows, a.rms, a.worst_ratio);
}

TEST_F(NativeMicTest, ClientMicBecomesThePipeWireSourceAndSurvivesARestart) {
  MicService mic;
  testing::Host h;
  h.svc.reset();  // rebuild with the mic wired in
  NativeServiceOptions o;
  o.bind = net::Address::loopback_v4(0);
  o.state_dir = h.dir;
  o.host_name = "Mic Host";
  o.caps.codec_preference = {pn::kCodecH264};
  SessionHooks hooks;
  hooks.on_mic = [&](uint32_t id, const pn::MicDatagram& d, int64_t captured) {
    mic.push(id, d.seq, d.opus, captured);
  };
  auto svc = NativeService::start(o, hooks);
  ASSERT_TRUE(svc) << svc.error().to_string();
  h.svc = std::move(*svc);

  testing::Client c;
  ASSERT_NO_FATAL_FAILURE(c.pair(h));
  auto conn = c.connect(h, h.svc->fingerprint());
  ASSERT_TRUE(conn);
  ASSERT_TRUE((*conn)->start_session(testing::hello()));
  client::NativeClient* cl = conn->get();
  auto tone = client::MicTone::start([cl](uint32_t seq, uint64_t pts, std::span<const uint8_t> b) {
    return cl->send_mic(seq, pts, b);
  });
  ASSERT_TRUE(tone);

  ASSERT_TRUE(testing::eventually([] { return node_exists(); }, 3000ms));
  EXPECT_EQ(std::system("pw-cli ls Node | grep -A20 'node.name = \"punktfunk-mic\"' | grep -q "
                        "'media.class = \"Audio/Source\"'"),
            0);
  std::this_thread::sleep_for(300ms);
  for (int quantum : {480, 8192}) {
    const auto a = host::testing::record_and_analyse(dir_, "punktfunk-mic", quantum, 3);
    const std::string when = "quantum " + std::to_string(quantum);
    EXPECT_EQ(mic.stats().source.quantum_frames, static_cast<uint64_t>(quantum));
    expect_clean_tone(a, when.c_str());
    if (quantum == 480) {
      // Mouth (the client's capture time) to the sample leaving the source.
      const auto st = mic.stats().source;
      std::printf(
          "mic latency at a 10 ms quantum: p50 %.1f ms p99 %.1f ms over %lu packets; "
          "jitter buffer p50 %.1f ms (min %.1f, max %.1f)\n",
          st.latency_ms_p50, st.latency_ms_p99, static_cast<unsigned long>(st.latency_samples),
          st.depth_ms_p50, st.depth_ms_min, st.depth_ms_max);
      EXPECT_GT(st.latency_samples, 100u);
      EXPECT_GT(st.latency_ms_p50, 0.0);
      // Function, not the goal (p50 <= 30 ms, bench/mic.sh): no backlog
      // piling up, even in a sanitizer build on a loaded machine.
      EXPECT_LT(st.latency_ms_p50, 250.0);
    }
  }

  const auto t_kill = std::chrono::steady_clock::now();
  restart_pipewire();  // returns once the new daemon answers
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(testing::eventually([] { return node_exists(); }, 10000ms));
  const auto t1 = std::chrono::steady_clock::now();
  const double back_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
  std::printf("punktfunk-mic back %.0f ms after PipeWire answered again (%.0f ms after the kill)\n",
              back_ms, std::chrono::duration<double, std::milli>(t1 - t_kill).count());
  const auto a = host::testing::record_and_analyse(dir_, "punktfunk-mic", 480, 3);
  expect_clean_tone(a, "after the restart");
  EXPECT_GE(mic.stats().opens, 2u);
  tone->reset();
}

}  // namespace
}  // namespace pf::host::native
