// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/app/spike.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

#include "base/log.h"
#include "host/capture/synthetic_source.h"
#include "host/encode/libav_encoder.h"

namespace pf::host {
namespace {

double percentile_ms(std::vector<int64_t> ns, double p) {
  if (ns.empty())
    return 0;
  std::sort(ns.begin(), ns.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(ns.size() - 1) + 0.5);
  return static_cast<double>(ns[std::min(i, ns.size() - 1)]) / 1e6;
}

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f)
      std::fclose(f);
  }
};

}  // namespace

Result<SpikeReport> run_spike(const SpikeOptions& opt,
                              const Clock& clock,
                              const volatile bool* stop) {
  EncoderConfig ec;
  ec.width = opt.width;
  ec.height = opt.height;
  ec.fps = opt.fps;
  ec.bitrate_kbps = opt.bitrate_kbps;
  auto encoder = LibavEncoder::create(ec);
  if (!encoder)
    return tl::unexpected(encoder.error());

  std::unique_ptr<std::FILE, FileCloser> out;
  if (!opt.output_path.empty()) {
    out.reset(std::fopen(opt.output_path.c_str(), "wb"));
    if (!out)
      return make_error(StatusCode::kPermissionDenied,
                        "cannot write " + opt.output_path + ": choose another --output path");
  }

  log_info("spike: synthetic {}x{}@{} -> {} at {} kbit/s for {:.1f} s{}", opt.width, opt.height,
           opt.fps, (*encoder)->name(), opt.bitrate_kbps, opt.seconds,
           opt.output_path.empty() ? "" : " -> " + opt.output_path);

  SyntheticSource source(opt.width, opt.height);
  I420Frame frame;
  EncodedFrame encoded;
  encoded.data.reserve(static_cast<size_t>(opt.bitrate_kbps) * 1000 / 8);
  const auto total_frames = static_cast<uint32_t>(opt.seconds * opt.fps);
  const int64_t interval_ns = 1'000'000'000LL / opt.fps;
  std::vector<int64_t> encode_ns, window_ns;
  encode_ns.reserve(total_frames);
  SpikeReport report;
  const int64_t start_ns = clock.now_ns();
  int64_t window_start_ns = start_ns;
  uint64_t window_bytes = 0;
  uint32_t window_frames = 0;

  for (uint32_t i = 1; i <= total_frames; ++i) {
    if (stop && *stop)
      break;
    if (opt.realtime) {
      int64_t due_ns = start_ns + static_cast<int64_t>(i - 1) * interval_ns;
      int64_t wait_ns = due_ns - clock.now_ns();
      if (wait_ns > 0)
        std::this_thread::sleep_for(std::chrono::nanoseconds(wait_ns));
    }
    const int64_t t0 = clock.now_ns();
    source.render(i, t0, frame);
    Status s = (*encoder)->encode(frame, i == 1, encoded);
    if (!s.is_ok())
      return tl::unexpected(s);
    const int64_t t1 = clock.now_ns();
    encode_ns.push_back(t1 - frame.capture_time_ns);
    window_ns.push_back(t1 - frame.capture_time_ns);
    if (out &&
        std::fwrite(encoded.data.data(), 1, encoded.data.size(), out.get()) != encoded.data.size())
      return make_error(StatusCode::kDataLoss, "short write to " + opt.output_path);
    ++report.frames;
    report.keyframes += encoded.keyframe ? 1 : 0;
    report.bytes += encoded.data.size();
    window_bytes += encoded.data.size();
    ++window_frames;
    if (t1 - window_start_ns >= 1'000'000'000) {
      double secs = static_cast<double>(t1 - window_start_ns) / 1e9;
      log_info(
          "spike: frame {:>5}/{}  {:5.1f} fps  {:7.0f} kbit/s  capture->encoded p50 {:.2f} ms "
          "p99 {:.2f} ms",
          i, total_frames, window_frames / secs, window_bytes * 8 / 1000.0 / secs,
          percentile_ms(window_ns, 0.5), percentile_ms(window_ns, 0.99));
      window_ns.clear();
      window_bytes = 0;
      window_frames = 0;
      window_start_ns = t1;
    }
  }
  report.wall_seconds = static_cast<double>(clock.now_ns() - start_ns) / 1e9;
  report.encode_ms_p50 = percentile_ms(encode_ns, 0.5);
  report.encode_ms_p99 = percentile_ms(encode_ns, 0.99);
  report.encode_ms_max = percentile_ms(encode_ns, 1.0);
  return report;
}

}  // namespace pf::host
