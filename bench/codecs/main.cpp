// SPDX-License-Identifier: MIT OR Apache-2.0
// pf_codec_bench: what each software encoder costs and gives on this machine,
// for a user choosing a codec: per codec, mode and content (bench/codecs/
// content.h), the encode wall time per frame (p50, p99, max), the bitrate it
// produced against the one asked for, and the decoded picture's PSNR (Y, U, V)
// and SSIM (Y) against the source — every encoder set up exactly as the host
// streams with it (create_video_encoder) and decoded by the client's decoder.
// H.264 (x264) is the reference each row is compared with, in the same run.
#include <fmt/format.h>
#include <libyuv/convert_from.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "client/decode/decoder.h"
#include "content.h"
#include "host/encode/encoder_factory.h"
#include "metrics.h"

namespace {

using pf::bench::ContentKind;
using pf::host::VideoCodec;

struct Mode {
  int width = 0, height = 0, fps = 0;
};

struct Row {
  std::string codec, encoder, mode, content;
  int frames = 0, decoded = 0, bitrate_kbps = 0;
  double p50_ms = 0, p99_ms = 0, max_ms = 0, mbps = 0, keyframe_kb = 0;
  double psnr_y = 0, psnr_y_min = 0, psnr_u = 0, psnr_v = 0, ssim_y = 0;
  bool real_time = false;
};

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string part; std::getline(in, part, ',');)
    if (!part.empty())
      out.push_back(part);
  return out;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1,
                    static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5))];
}

uint8_t decoder_codec(VideoCodec c) {
  return c == VideoCodec::kHevc ? 2 : c == VideoCodec::kAv1 ? 4 : 1;
}

// One codec x mode x content: encode, decode, compare.
pf::Result<Row> measure(VideoCodec codec,
                        const Mode& m,
                        ContentKind kind,
                        int frames,
                        int kbps,
                        int bit_depth,
                        bool chroma_444) {
  pf::host::EncoderConfig ec;
  ec.codec = codec;
  ec.bit_depth = bit_depth;
  ec.chroma_444 = chroma_444;
  ec.width = m.width;
  ec.height = m.height;
  ec.fps = m.fps;
  ec.bitrate_kbps = kbps;
  auto enc = pf::host::create_video_encoder(ec);
  if (!enc)
    return tl::unexpected(enc.error());
  auto dec = pf::client::VideoDecoder::create(decoder_codec(codec));
  if (!dec)
    return tl::unexpected(dec.error());
  pf::bench::BenchContent content(kind, m.width, m.height);
  pf::host::YuvFrame src, rendered;  // rendered: the content's 4:2:0, brought to 4:4:4 if asked
  src.chroma = chroma_444 ? pf::host::ChromaSampling::k444 : pf::host::ChromaSampling::k420;
  pf::host::EncodedFrame au;
  Row r;
  r.codec = std::string(pf::host::to_string(codec)) + (bit_depth == 10 ? "-10bit" : "") +
            (chroma_444 ? "-444" : "");
  r.encoder = (*enc)->name();
  r.mode = fmt::format("{}x{}@{}", m.width, m.height, m.fps);
  r.content = pf::bench::to_string(kind);
  r.bitrate_kbps = kbps;
  std::vector<double> times, psnr_y;
  double psnr_u = 0, psnr_v = 0, ssim = 0;
  int ssim_n = 0;
  uint64_t bytes = 0;
  for (int i = 0; i < frames; ++i) {
    if (chroma_444) {  // the same pictures, each chroma sample repeated (as a capture's would be)
      content.render(static_cast<uint32_t>(i), rendered);
      src.allocate(m.width, m.height);
      libyuv::I420ToI444(rendered.y.data(), m.width, rendered.u.data(), rendered.chroma_width(),
                         rendered.v.data(), rendered.chroma_width(), src.y.data(), m.width,
                         src.u.data(), m.width, src.v.data(), m.width, m.width, m.height);
    } else {
      content.render(static_cast<uint32_t>(i), src);
    }
    src.index = static_cast<uint32_t>(i) + 1;  // as the capture numbers frames, from 1
    src.capture_time_ns = int64_t{i} * 1'000'000'000 / m.fps;
    const auto t0 = std::chrono::steady_clock::now();
    if (auto st = (*enc)->encode(src, i == 0, au); !st.is_ok())
      return tl::unexpected(st);
    times.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    bytes += au.data.size();
    if (i == 0)
      r.keyframe_kb = static_cast<double>(au.data.size()) / 1000;
    auto p = (*dec)->decode(au.data);
    if (!p)
      continue;  // low-delay encoders: one picture per access unit, checked by `decoded`
    ++r.decoded;
    psnr_y.push_back(pf::bench::plane_psnr(src.y.data(), src.width, p->luma, p->luma_stride,
                                           src.width, src.height));
    // 4:4:4: the stream's own full chroma against the source's.
    const bool full = p->full_u && src.full_chroma();
    psnr_u += pf::bench::plane_psnr(src.u.data(), src.chroma_width(), full ? p->full_u : p->u,
                                    full ? p->full_u_stride : p->u_stride, src.chroma_width(),
                                    src.chroma_height());
    psnr_v += pf::bench::plane_psnr(src.v.data(), src.chroma_width(), full ? p->full_v : p->v,
                                    full ? p->full_v_stride : p->v_stride, src.chroma_width(),
                                    src.chroma_height());
    if (i % 4 == 0) {  // SSIM costs more than an encode at 1080p: every 4th picture
      ssim += pf::bench::plane_ssim(src.y.data(), src.width, p->luma, p->luma_stride, src.width,
                                    src.height);
      ++ssim_n;
    }
  }
  r.frames = frames;
  r.p50_ms = percentile(times, 0.5);
  r.p99_ms = percentile(times, 0.99);
  r.max_ms = percentile(times, 1.0);
  r.real_time = r.p99_ms <= 1000.0 / m.fps;
  r.mbps = static_cast<double>(bytes) * 8 * m.fps / frames / 1e6;
  if (!psnr_y.empty()) {
    double sum = 0;
    for (double v : psnr_y)
      sum += v;
    r.psnr_y = sum / static_cast<double>(psnr_y.size());
    r.psnr_y_min = *std::min_element(psnr_y.begin(), psnr_y.end());
    r.psnr_u = psnr_u / static_cast<double>(psnr_y.size());
    r.psnr_v = psnr_v / static_cast<double>(psnr_y.size());
  }
  r.ssim_y = ssim_n > 0 ? ssim / ssim_n : 0;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"pf_codec_bench: software encoders' time, bitrate and picture quality"};
  std::string codecs = "h264,hevc,av1", modes = "1280x720@60,1920x1080@60",
              contents = "desktop,game", csv;
  double seconds = 5;
  int kbps = 20000, bit_depth = 8, chroma = 420;
  app.add_option("--codecs", codecs, "h264, hevc, av1 (comma-separated)")->capture_default_str();
  app.add_option("--modes", modes, "WxH@fps, comma-separated")->capture_default_str();
  app.add_option("--content", contents, "desktop, game (comma-separated)")->capture_default_str();
  app.add_option("--seconds", seconds, "of video per run, at the mode's frame rate")
      ->capture_default_str();
  app.add_option("--bitrate", kbps, "kbit/s asked of every encoder")->capture_default_str();
  app.add_option("--bit-depth", bit_depth,
                 "8, or 10 (HEVC Main10, AV1 10-bit; decoded back to "
                 "8 bits to compare)")
      ->check(CLI::IsMember({8, 10}))
      ->capture_default_str();
  app.add_option("--chroma", chroma,
                 "420, or 444 (H.264 High 4:4:4, HEVC RExt, AV1 High; the content's chroma "
                 "repeated to full resolution, the decoded 4:4:4 planes compared)")
      ->check(CLI::IsMember({420, 444}))
      ->capture_default_str();
  app.add_option("--csv", csv, "also write the rows here");
  CLI11_PARSE(app, argc, argv);

  const std::map<std::string, VideoCodec> codec_names = {
      {"h264", VideoCodec::kH264}, {"hevc", VideoCodec::kHevc}, {"av1", VideoCodec::kAv1}};
  std::FILE* out = csv.empty() ? nullptr : std::fopen(csv.c_str(), "w");
  if (!csv.empty() && !out) {
    std::fprintf(stderr, "pf_codec_bench: cannot write %s\n", csv.c_str());
    return 1;
  }
  if (out)
    std::fprintf(out,
                 "codec,encoder,mode,content,frames,decoded,p50_ms,p99_ms,max_ms,real_time,"
                 "asked_mbps,mbps,keyframe_kb,psnr_y,psnr_y_min,psnr_u,psnr_v,ssim_y,"
                 "time_vs_h264,bits_vs_h264\n");
  std::map<std::string, Row> reference;  // mode + content -> the H.264 row
  int failures = 0;
  for (const auto& mode_text : split(modes)) {
    Mode m;
    if (std::sscanf(mode_text.c_str(), "%dx%d@%d", &m.width, &m.height, &m.fps) != 3 ||
        m.width < 64 || m.height < 64 || m.fps < 1) {
      std::fprintf(stderr, "pf_codec_bench: mode '%s' is not WxH@fps\n", mode_text.c_str());
      return 2;
    }
    for (const auto& content_text : split(contents)) {
      const ContentKind kind = content_text == "game" ? ContentKind::kGame : ContentKind::kDesktop;
      for (const auto& codec_text : split(codecs)) {
        const auto c = codec_names.find(codec_text);
        if (c == codec_names.end()) {
          std::fprintf(stderr, "pf_codec_bench: unknown codec '%s'\n", codec_text.c_str());
          return 2;
        }
        const int frames = std::max(1, static_cast<int>(seconds * m.fps));
        auto r = measure(c->second, m, kind, frames, kbps, bit_depth, chroma == 444);
        if (!r) {
          std::printf("%s %s %s: %s\n", codec_text.c_str(), mode_text.c_str(), content_text.c_str(),
                      r.error().message().c_str());
          ++failures;
          continue;
        }
        const std::string key = r->mode + r->content;
        if (c->second == VideoCodec::kH264)
          reference[key] = *r;
        const auto ref = reference.find(key);
        const double tv = ref != reference.end() ? r->p50_ms / ref->second.p50_ms : 0;
        const double bv = ref != reference.end() ? r->mbps / ref->second.mbps : 0;
        std::printf(
            "%-5s %-11s %-15s %-8s encode p50 %6.2f p99 %6.2f max %6.2f ms (%s), %6.2f of %d "
            "Mbit/s, PSNR Y %.2f (min %.2f) U %.2f V %.2f dB, SSIM Y %.4f, %d/%d decoded\n",
            r->codec.c_str(), r->encoder.c_str(), r->mode.c_str(), r->content.c_str(), r->p50_ms,
            r->p99_ms, r->max_ms, r->real_time ? "real time" : "NOT real time", r->mbps,
            kbps / 1000, r->psnr_y, r->psnr_y_min, r->psnr_u, r->psnr_v, r->ssim_y, r->decoded,
            r->frames);
        std::fflush(stdout);
        std::string encoder_field = r->encoder;  // a CSV field: no commas
        std::replace(encoder_field.begin(), encoder_field.end(), ',', ';');
        if (out)
          std::fprintf(out,
                       "%s,%s,%s,%s,%d,%d,%.3f,%.3f,%.3f,%d,%.1f,%.3f,%.1f,%.3f,%.3f,%.3f,%.3f,%."
                       "5f,%.3f,%.3f\n",
                       r->codec.c_str(), encoder_field.c_str(), r->mode.c_str(), r->content.c_str(),
                       r->frames, r->decoded, r->p50_ms, r->p99_ms, r->max_ms, r->real_time ? 1 : 0,
                       kbps / 1000.0, r->mbps, r->keyframe_kb, r->psnr_y, r->psnr_y_min, r->psnr_u,
                       r->psnr_v, r->ssim_y, tv, bv);
        if (r->decoded < r->frames)
          ++failures;  // a low-delay stream decodes every frame it sends
      }
    }
  }
  if (out)
    std::fclose(out);
  return failures > 0 ? 1 : 0;
}
