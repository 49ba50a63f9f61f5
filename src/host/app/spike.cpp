// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/app/spike.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

#include "base/log.h"
#include "host/capture/portal_screencast.h"
#include "host/capture/pw_video_capture.h"
#include "host/capture/synthetic_source.h"
#include "host/capture/wlr_screencopy_capture.h"
#include "host/capture/x11_capture.h"
#include "host/encode/libav_encoder.h"
#include "host/vdisplay/mutter_display.h"
#include "host/vdisplay/sway_display.h"
#include "host/vdisplay/xvfb_display.h"
#include "session/packetizer.h"
#include "session/reassembler.h"
#include "sim/link.h"

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

// Packetizer -> simulated link -> Reassembler, one access unit at a time.
class CoreRoundTrip {
 public:
  static Result<CoreRoundTrip> create(const SpikeOptions& o) {
    CoreRoundTrip rt;
    session::PacketizerConfig pc;
    pc.fec_percent = static_cast<uint8_t>(std::clamp(o.fec_percent, 0, 100));
    pc.key.resize(16);
    crypto_fill(pc.key);
    session::ReassemblerConfig rc;
    rc.key = pc.key;
    rc.frame_deadline_us = 2'000'000 / std::max(1, o.fps);
    auto tx = session::Packetizer::create(pc);
    if (!tx)
      return tl::unexpected(tx.error());
    auto rx = session::Reassembler::create(rc);
    if (!rx)
      return tl::unexpected(rx.error());
    rt.tx_ = std::move(*tx);
    rt.rx_ = std::move(*rx);
    sim::LinkConfig lc;
    lc.loss = o.loss_percent / 100.0;
    lc.seed = 7;
    rt.link_ = std::make_unique<sim::Link>(lc);
    return rt;
  }

  // Sends one AU at `now_us`; returns the packetize time. Delivered AUs are
  // compared with what was sent.
  Result<int64_t> send(const EncodedFrame& au, uint64_t now_us, const Clock& clock) {
    sent_[au.frame_index % kKeep] = au.data;
    const int64_t t0 = clock.now_ns();
    auto packets = tx_->packetize({au.data, au.frame_index, now_us, au.keyframe});
    const int64_t t1 = clock.now_ns();
    if (!packets)
      return tl::unexpected(packets.error());
    for (auto p : *packets)
      link_->send(p, now_us);
    drain(now_us);
    return t1 - t0;
  }

  void drain(uint64_t now_us) {
    link_->deliver(now_us, [&](std::span<const uint8_t> p) { rx_->push(p, now_us); });
    while (auto ev = rx_->poll(now_us)) {
      if (ev->kind == session::ReassemblyEvent::Kind::kFrameLost) {
        lost += ev->count;
        continue;
      }
      const auto& want = sent_[ev->frame_index % kKeep];
      if (ev->data.size() == want.size() && std::equal(want.begin(), want.end(), ev->data.begin()))
        ++intact;
      else
        ++mismatched;
    }
  }

  uint64_t shards_recovered() const { return rx_->stats().shards_recovered; }

  uint32_t intact = 0, lost = 0, mismatched = 0;

 private:
  static constexpr uint32_t kKeep = 64;
  static void crypto_fill(std::vector<uint8_t>& k) {
    for (size_t i = 0; i < k.size(); ++i)
      k[i] = static_cast<uint8_t>(0x5A ^ (i * 29));
  }
  std::unique_ptr<session::Packetizer> tx_;
  std::unique_ptr<session::Reassembler> rx_;
  std::unique_ptr<sim::Link> link_;
  std::array<std::vector<uint8_t>, kKeep> sent_;
};

}  // namespace

Result<SpikeReport> run_spike(const SpikeOptions& options,
                              const Clock& clock,
                              const volatile bool* stop) {
  SpikeOptions opt = options;
  // The portal shares a monitor at its own size: the spike takes that size.
  std::unique_ptr<PortalScreenCast> portal;
  if (opt.source == SpikeSource::kPortal) {
    auto p = PortalScreenCast::start({});
    if (!p)
      return tl::unexpected(p.error());
    portal = std::move(*p);
    if (portal->width() > 0 && portal->height() > 0) {
      opt.width = portal->width();
      opt.height = portal->height();
    }
  }
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

  // The source. For X11 without a given display, a headless Xvfb of the mode
  // is created and the synthetic pattern drawn into it before each capture.
  SyntheticSource pattern(opt.width, opt.height);
  std::unique_ptr<XvfbDisplay> xvfb;
  std::unique_ptr<X11Capture> x11;
  std::unique_ptr<MutterDisplay> mutter;
  std::unique_ptr<SwayDisplay> sway;
  std::unique_ptr<VideoSource> pipewire;  // or a sway output: a compositor's picture
  std::string source_name = "synthetic";
  if (portal) {
    auto cap = PwVideoCapture::open(portal->node(), opt.width, opt.height, opt.fps,
                                    std::chrono::seconds(5), portal->take_remote());
    if (!cap)
      return tl::unexpected(cap.error());
    pipewire = std::move(*cap);
    source_name = fmt::format("portal node {}", portal->node());
  }
  if (opt.source == SpikeSource::kWayland) {
    std::string display = opt.display;
    if (display.empty()) {
      auto d = SwayDisplay::create({opt.width, opt.height, opt.fps});
      if (!d)
        return tl::unexpected(d.error());
      sway = std::move(*d);
      display = sway->address();
    }
    const auto output = wayland_output_of(display);
    if (!output)
      return make_error(StatusCode::kInvalidArgument,
                        "--display for --source wayland is wayland:<output>, not " + display);
    auto cap = WlrScreencopyCapture::open({}, *output);
    if (!cap)
      return tl::unexpected(cap.error());
    if ((*cap)->width() != opt.width || (*cap)->height() != opt.height)
      return make_error(StatusCode::kInvalidArgument,
                        fmt::format("output {} is {}x{}, not the requested {}x{}", *output,
                                    (*cap)->width(), (*cap)->height(), opt.width, opt.height));
    pipewire = std::move(*cap);
    source_name = fmt::format("wayland {}{}", display, sway ? " (sway headless output)" : "");
  }
  if (opt.source == SpikeSource::kPipeWire) {
    std::string display = opt.display;
    if (display.empty()) {
      auto d = MutterDisplay::create({opt.width, opt.height, opt.fps});
      if (!d)
        return tl::unexpected(d.error());
      mutter = std::move(*d);
      display = mutter->address();
    }
    const auto node = pipewire_node_of(display);
    if (!node)
      return make_error(StatusCode::kInvalidArgument,
                        "--display for --source pipewire is pipewire:<node id>, not " + display);
    auto cap = PwVideoCapture::open(*node, opt.width, opt.height, opt.fps, std::chrono::seconds(5));
    if (!cap)
      return tl::unexpected(cap.error());
    pipewire = std::move(*cap);
    source_name = fmt::format("pipewire {}{}", display, mutter ? " (Mutter virtual monitor)" : "");
  }
  if (opt.source == SpikeSource::kX11) {
    std::string display = opt.display;
    if (display.empty()) {
      auto d = XvfbDisplay::create({opt.width, opt.height, opt.fps});
      if (!d)
        return tl::unexpected(d.error());
      xvfb = std::move(*d);
      display = xvfb->address();
    }
    auto cap = X11Capture::open(display);
    if (!cap)
      return tl::unexpected(cap.error());
    if ((*cap)->width() != opt.width || (*cap)->height() != opt.height)
      return make_error(StatusCode::kInvalidArgument,
                        fmt::format("display {} is {}x{}, not the requested {}x{}", display,
                                    (*cap)->width(), (*cap)->height(), opt.width, opt.height));
    x11 = std::move(*cap);
    source_name =
        fmt::format("x11 {}{}", display, xvfb ? " (Xvfb, synthetic pattern drawn in)" : "");
  }
  auto core = CoreRoundTrip::create(opt);
  if (!core)
    return tl::unexpected(core.error());

  log_info(
      "spike: {} {}x{}@{} -> {} at {} kbit/s for {:.1f} s -> core session ({}% loss, {}% FEC){}",
      source_name, opt.width, opt.height, opt.fps, (*encoder)->name(), opt.bitrate_kbps,
      opt.seconds, opt.loss_percent, opt.fec_percent,
      opt.output_path.empty() ? "" : " -> " + opt.output_path);

  YuvFrame frame, drawn;
  EncodedFrame encoded;
  encoded.data.reserve(static_cast<size_t>(opt.bitrate_kbps) * 1000 / 8);
  const auto total_frames = static_cast<uint32_t>(opt.seconds * opt.fps);
  const int64_t interval_ns = 1'000'000'000LL / opt.fps;
  std::vector<int64_t> encode_ns, capture_ns, packetize_ns, window_ns;
  encode_ns.reserve(total_frames);
  SpikeReport report;
  report.source_name = source_name;
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
    if (x11) {
      pattern.render(i, 0, drawn);  // what an application would have drawn
      if (auto st = x11->draw(drawn); !st.is_ok())
        return tl::unexpected(st);
    }
    const int64_t t0 = clock.now_ns();
    if (x11) {
      if (auto st = x11->capture(i, t0, frame); !st.is_ok())
        return tl::unexpected(st);
    } else if (pipewire) {
      if (auto st = pipewire->capture(i, t0, frame); !st.is_ok())
        return tl::unexpected(st);
    } else {
      pattern.render(i, t0, frame);
    }
    const int64_t tc = clock.now_ns();
    Status s = (*encoder)->encode(frame, i == 1, encoded);
    if (!s.is_ok())
      return tl::unexpected(s);
    const int64_t t1 = clock.now_ns();
    capture_ns.push_back(tc - t0);
    encode_ns.push_back(t1 - frame.capture_time_ns);
    window_ns.push_back(t1 - frame.capture_time_ns);
    auto pk = core->send(encoded, static_cast<uint64_t>(t1 / 1000), clock);
    if (!pk)
      return tl::unexpected(pk.error());
    packetize_ns.push_back(*pk);
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
          "p99 {:.2f} ms  core: {} intact, {} lost",
          i, total_frames, window_frames / secs, window_bytes * 8 / 1000.0 / secs,
          percentile_ms(window_ns, 0.5), percentile_ms(window_ns, 0.99), core->intact, core->lost);
      window_ns.clear();
      window_bytes = 0;
      window_frames = 0;
      window_start_ns = t1;
    }
  }
  // Let the last frames complete or time out.
  core->drain(static_cast<uint64_t>(clock.now_ns() / 1000) + 10'000'000);
  report.wall_seconds = static_cast<double>(clock.now_ns() - start_ns) / 1e9;
  report.encode_ms_p50 = percentile_ms(encode_ns, 0.5);
  report.encode_ms_p99 = percentile_ms(encode_ns, 0.99);
  report.encode_ms_max = percentile_ms(encode_ns, 1.0);
  report.capture_ms_p50 = percentile_ms(capture_ns, 0.5);
  report.capture_ms_p99 = percentile_ms(capture_ns, 0.99);
  report.packetize_ms_p50 = percentile_ms(packetize_ns, 0.5);
  report.packetize_ms_p99 = percentile_ms(packetize_ns, 0.99);
  report.au_intact = core->intact;
  report.au_lost = core->lost;
  report.au_mismatched = core->mismatched;
  report.shards_recovered = core->shards_recovered();
  if (report.au_mismatched > 0)
    return make_error(
        StatusCode::kDataLoss,
        fmt::format("{} access units came out of the core session different from what "
                    "went in",
                    report.au_mismatched));
  return report;
}

}  // namespace pf::host
