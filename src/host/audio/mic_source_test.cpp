// SPDX-License-Identifier: MIT OR Apache-2.0
// The mic path with real PipeWire: 10 ms Opus packets of a 440 Hz sine
// (amplitude 0.25) pushed in real time, recorded from the punktfunk-mic node
// with pw-record at a 10 ms and a 256 ms consumer quantum.
#include "host/audio/mic_source.h"

#include <opus/opus.h>

#include <cmath>
#include <fstream>

#include "base/goertzel.h"
#include "host/audio/pw_test_env.h"

namespace pf::host {
namespace {

class MicSourceTest : public testing::PipeWireEnv, public ::testing::WithParamInterface<int> {};

double goertzel(const std::vector<float>& s, double hz) {
  return goertzel_power(s, hz);
}

TEST_P(MicSourceTest, ASineArrivesCleanAtTheSource) {
  const int quantum = GetParam();
  auto mic = MicSource::start();
  ASSERT_TRUE(mic) << mic.error().to_string();
  bool node = false;
  for (int i = 0; i < 50 && !node; ++i) {
    node = std::system("pw-cli ls Node | grep -q 'node.name = \"punktfunk-mic\"'") == 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(node);
  EXPECT_EQ(std::system("pw-cli ls Node | grep -A20 'node.name = \"punktfunk-mic\"' | grep -q "
                        "'media.class = \"Audio/Source\"'"),
            0);
  // The client side: Opus VOIP, mono, 10 ms, 48 kbit/s, one packet every 10 ms.
  int err = 0;
  OpusEncoder* enc = opus_encoder_create(48000, 1, OPUS_APPLICATION_VOIP, &err);
  ASSERT_EQ(err, OPUS_OK);
  opus_encoder_ctl(enc, OPUS_SET_BITRATE(48000));
  std::atomic<bool> stop{false};
  std::thread client([&] {
    uint64_t n = 0;
    auto next = std::chrono::steady_clock::now();
    for (uint32_t seq = 0; !stop; ++seq) {
      float pcm[480];
      for (float& s : pcm)
        s = 0.25f *
            static_cast<float>(std::sin(2 * M_PI * 440.0 * static_cast<double>(n++) / 48000));
      uint8_t pkt[400];
      const int len = opus_encode_float(enc, pcm, 480, pkt, sizeof pkt);
      if (len > 0)
        (*mic)->push(seq, std::span<const uint8_t>(pkt, static_cast<size_t>(len)));
      next += std::chrono::milliseconds(10);
      std::this_thread::sleep_until(next);
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto wav = dir_ / "mic.wav";
  const std::string record =
      "PIPEWIRE_QUANTUM=" + std::to_string(quantum) +
      "/48000 timeout -s INT 3 pw-record --target punktfunk-mic --rate 48000 "
      "--channels 1 --format f32 " +
      wav.string() + " >/dev/null 2>&1";
  (void)std::system(record.c_str());
  stop = true;
  client.join();
  opus_encoder_destroy(enc);
  const auto raw = dir_ / "mic.raw";
  ASSERT_EQ(std::system(("sox " + wav.string() + " -t f32 " + raw.string()).c_str()), 0);
  std::ifstream in2(raw, std::ios::binary | std::ios::ate);
  const auto bytes = static_cast<size_t>(in2.tellg());
  in2.seekg(0);
  std::vector<float> pcm(bytes / sizeof(float));
  in2.read(reinterpret_cast<char*>(pcm.data()),
           static_cast<std::streamsize>(pcm.size() * sizeof(float)));
  ASSERT_GT(pcm.size(), 48000u) << "recorded " << pcm.size() << " samples";
  // Skip the first 300 ms (priming), analyse the rest.
  std::vector<float> body(pcm.begin() + 14400, pcm.end());
  const double p440 = goertzel(body, 440);
  for (double hz : {1000.0, 2000.0, 5000.0})
    EXPECT_GT(p440, 1000 * goertzel(body, hz)) << hz << " Hz at quantum " << quantum;
  size_t silent = 0, windows = 0;
  double sum = 0;
  for (size_t w = 0; w + 480 <= body.size(); w += 480, ++windows) {
    bool zero = true;
    for (size_t i = w; i < w + 480; ++i) {
      zero = zero && body[i] == 0.0f;
      sum += double{body[i]} * body[i];
    }
    silent += zero;
  }
  const double rms = std::sqrt(sum / static_cast<double>(windows * 480));
  std::printf(
      "quantum %d: %zu of %zu 10 ms windows silent (%.2f %%), RMS %.4f, stats: %lu packets, "
      "%lu concealed, %lu underruns\n",
      quantum, silent, windows, 100.0 * silent / windows, rms,
      static_cast<unsigned long>((*mic)->stats().packets),
      static_cast<unsigned long>((*mic)->stats().concealed),
      static_cast<unsigned long>((*mic)->stats().underruns));
  EXPECT_LT(static_cast<double>(silent) / windows, 0.01);
  EXPECT_NEAR(rms, 0.177, 0.177 * 0.05);
}

INSTANTIATE_TEST_SUITE_P(Quanta, MicSourceTest, ::testing::Values(480, 12288));

}  // namespace
}  // namespace pf::host
