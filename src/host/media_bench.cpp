// SPDX-License-Identifier: MIT OR Apache-2.0
// Media pipeline costs on this machine: synthetic render, XShm capture (grab +
// colour conversion) from a headless Xvfb, libx264 low-delay encode, with
// memcpy of one BGRA frame as the in-run reference. Goals (issue "Host media
// pipeline"): 1080p capture <= 1 ms; x264 1080p60 capture->encoded p99 < 16.7
// ms, 720p <= 5 ms (the spike reports the end-to-end percentiles).
#include <cstring>
#include <memory>
#include <vector>

#include <benchmark/benchmark.h>

#include "host/capture/synthetic_source.h"
#include "host/capture/x11_capture.h"
#include "host/encode/encoder_factory.h"
#include "host/encode/libav_encoder.h"
#include "host/vdisplay/xvfb_display.h"

namespace {

using namespace pf::host;

void BM_SyntheticRender(benchmark::State& state) {
  const int w = static_cast<int>(state.range(0)), h = static_cast<int>(state.range(1));
  SyntheticSource src(w, h);
  YuvFrame f;
  uint32_t i = 1;
  for (auto _ : state)
    src.render(i++, 0, f);
}

// Args: width, height, 4:4:4 (1) or 4:2:0 (0) — the conversion a 4:4:4 session's capture does.
void BM_X11Capture(benchmark::State& state) {
  const int w = static_cast<int>(state.range(0)), h = static_cast<int>(state.range(1));
  auto display = XvfbDisplay::create({w, h, 60});
  if (!display) {
    state.SkipWithError(display.error().to_string().c_str());
    return;
  }
  auto cap = X11Capture::open((*display)->address());
  if (!cap) {
    state.SkipWithError(cap.error().to_string().c_str());
    return;
  }
  SyntheticSource src(w, h);
  YuvFrame drawn, f;
  src.render(1, 0, drawn);
  (void)(*cap)->draw(drawn);
  f.chroma = state.range(2) ? ChromaSampling::k444 : ChromaSampling::k420;
  uint32_t i = 1;
  for (auto _ : state)
    benchmark::DoNotOptimize((*cap)->capture(i++, 0, f));
}

// Encodes 60 rendered frames of the synthetic pattern round and round (the
// first as a keyframe), as a stream does; shared by the encoder benchmarks.
void encode_frames(benchmark::State& state, const EncoderConfig& c, VideoEncoder& enc) {
  SyntheticSource src(c.width, c.height);
  std::vector<YuvFrame> frames(60);
  for (uint32_t i = 0; i < frames.size(); ++i) {
    frames[i].chroma = c.chroma_444 ? ChromaSampling::k444 : ChromaSampling::k420;
    src.render(i + 1, 0, frames[i]);
  }
  EncodedFrame out;
  uint32_t i = 0;
  for (auto _ : state) {
    auto& f = frames[i % frames.size()];
    f.index = ++i;
    benchmark::DoNotOptimize(enc.encode(f, i == 1, out));
  }
}

EncoderConfig bench_config(benchmark::State& state, VideoCodec codec) {
  EncoderConfig c;
  c.codec = codec;
  c.width = static_cast<int>(state.range(0));
  c.height = static_cast<int>(state.range(1));
  c.fps = 60;
  c.bitrate_kbps = 20'000;
  c.chroma_444 = state.range(2) != 0;  // Args' third: 4:4:4
  return c;
}

void BM_X264Encode(benchmark::State& state) {
  const EncoderConfig c = bench_config(state, VideoCodec::kH264);
  auto enc = LibavEncoder::create(c);
  if (!enc) {
    state.SkipWithError(enc.error().to_string().c_str());
    return;
  }
  encode_frames(state, c, **enc);
}

// HEVC Main by x265 (ultrafast, zerolatency, one frame thread) as the host
// offers it with software-codecs: the number that tells whether a mode holds
// its frame rate here (16.7 ms at 60 fps).
void BM_X265Encode(benchmark::State& state) {
  const EncoderConfig c = bench_config(state, VideoCodec::kHevc);
  auto enc = create_video_encoder(c);
  if (!enc) {
    state.SkipWithError(enc.error().to_string().c_str());
    return;
  }
  encode_frames(state, c, **enc);
}

// AV1 by libaom in real-time mode (speed 10, two row threads) as the host
// offers it with software-codecs.
void BM_Av1Encode(benchmark::State& state) {
  const EncoderConfig c = bench_config(state, VideoCodec::kAv1);
  auto enc = create_video_encoder(c);
  if (!enc) {
    state.SkipWithError(enc.error().to_string().c_str());
    return;
  }
  encode_frames(state, c, **enc);
}

void BM_MemcpyBgraFrame(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0)) * state.range(1) * 4;
  std::vector<uint8_t> a(n, 1), b(n);
  for (auto _ : state) {
    std::memcpy(b.data(), a.data(), n);
    benchmark::ClobberMemory();
  }
}

BENCHMARK(BM_SyntheticRender)->Args({1920, 1080})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_X11Capture)
    ->Args({1280, 720, 0})
    ->Args({1920, 1080, 0})
    ->Args({1920, 1080, 1})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_X264Encode)
    ->Args({1280, 720, 0})
    ->Args({1920, 1080, 0})
    ->Args({1920, 1080, 1})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_X265Encode)
    ->Args({640, 480, 0})
    ->Args({1280, 720, 0})
    ->Args({1920, 1080, 0})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Av1Encode)
    ->Args({640, 480, 0})
    ->Args({1280, 720, 0})
    ->Args({1920, 1080, 0})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MemcpyBgraFrame)->Args({1920, 1080})->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
