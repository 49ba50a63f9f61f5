// SPDX-License-Identifier: MIT OR Apache-2.0
// The real-microphone path without a microphone: SDL's "disk" audio driver
// captures from a raw file holding a 440 Hz tone; the packets SdlMic sends
// decode (Opus) back to that tone, 10 ms apart with rising capture times.
#include "client/audio/sdl_mic.h"

#include <SDL2/SDL.h>
#include <opus/opus.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "base/goertzel.h"

namespace pf::client {
namespace {

TEST(SdlMicTest, CapturesEncodesAndStampsTheDefaultDevice) {
  const std::string file = "/tmp/pf-mic-in-" + std::to_string(getpid()) + ".raw";
  {
    std::vector<float> tone(48000 * 2);
    for (size_t i = 0; i < tone.size(); ++i)
      tone[i] = 0.3f * static_cast<float>(std::sin(2 * M_PI * 440.0 * i / 48000));
    std::FILE* f = std::fopen(file.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fwrite(tone.data(), sizeof(float), tone.size(), f);
    std::fclose(f);
  }
  setenv("SDL_AUDIODRIVER", "disk", 1);
  setenv("SDL_DISKAUDIOFILEIN", file.c_str(), 1);
  setenv("SDL_DISKAUDIOFILE", "/dev/null", 1);
  ASSERT_EQ(SDL_InitSubSystem(SDL_INIT_AUDIO), 0) << SDL_GetError();

  std::mutex mu;
  std::vector<std::vector<uint8_t>> packets;
  std::vector<uint64_t> pts;
  std::vector<uint32_t> seqs;
  auto mic = SdlMic::open("", [&](uint32_t seq, uint64_t t, std::span<const uint8_t> opus) {
    std::lock_guard l(mu);
    seqs.push_back(seq);
    pts.push_back(t);
    packets.emplace_back(opus.begin(), opus.end());
    return true;
  });
  ASSERT_TRUE(mic) << mic.error().to_string();
  for (int i = 0; i < 100; ++i) {
    {
      std::lock_guard l(mu);
      if (packets.size() >= 60)
        break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  mic->reset();
  SDL_QuitSubSystem(SDL_INIT_AUDIO);
  unlink(file.c_str());

  ASSERT_GE(packets.size(), 60u);
  for (size_t i = 1; i < seqs.size(); ++i) {
    EXPECT_EQ(seqs[i], seqs[i - 1] + 1);
    EXPECT_GT(pts[i], pts[i - 1]);
  }
  int err = 0;
  OpusDecoder* dec = opus_decoder_create(48000, 1, &err);
  ASSERT_EQ(err, OPUS_OK);
  std::vector<float> pcm;
  for (const auto& p : packets) {
    float out[960];
    const int n = opus_decode_float(dec, p.data(), static_cast<opus_int32>(p.size()), out, 960, 0);
    ASSERT_EQ(n, 480);
    pcm.insert(pcm.end(), out, out + n);
  }
  opus_decoder_destroy(dec);
  // Skip the codec's start-up; then 440 Hz dominates its neighbours.
  std::span<const float> tail(pcm.data() + 4800, pcm.size() - 4800);
  const double at = goertzel_power(tail, 440), off = goertzel_power(tail, 660);
  EXPECT_GT(at, 100 * off) << "440 Hz " << at << ", 660 Hz " << off;
}

}  // namespace
}  // namespace pf::client
