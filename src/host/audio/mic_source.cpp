// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/audio/mic_source.h"

#include <opus/opus.h>
#include <pipewire/pipewire.h>
#include <spa/param/audio/format-utils.h>

#include <sched.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <mutex>
#include <vector>

#include <fmt/format.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/percentile.h"
#include "host/audio/pw_common.h"

namespace pf::host {

namespace {
constexpr int kRate = 48000;
constexpr size_t kRingFrames = 1 << 15;   // 0.68 s of mono
constexpr size_t kMarkers = 256;          // packets in flight between push and playback
constexpr size_t kSamples = 4096;         // latency / depth samples between two stats() calls
constexpr size_t kPacket = 480;           // 10 ms: one Opus packet of the uplink
constexpr int64_t kStallNs = 20'000'000;  // a cycle this late is a graph stall

// The depth the jitter buffer holds just before PipeWire pulls a quantum of
// `q` frames: the quantum itself and a margin for arrival jitter, one and a
// half packets to begin with (packets come in 480-frame steps, so the depth
// before a pull swings by up to a packet with their phase). (Three quanta, as
// before, was too little at small quanta under load and needless latency at
// large ones: 512 ms at 8192.) A pull that runs short widens the margin by a
// packet (at most once in 200 ms, up to eight packets); ten seconds without
// one narrow it again.
constexpr size_t kMinMargin = kPacket * 3 / 2, kMaxMargin = 8 * kPacket;  // frames
constexpr size_t target_depth(size_t q, size_t margin) {
  return q + margin;
}

// A lock-free single-producer/single-consumer ring of small values.
template <typename T, size_t N>
struct SpscRing {
  std::array<T, N> items{};
  std::atomic<size_t> w{0}, r{0};
  bool push(const T& v) {
    const size_t wi = w.load(std::memory_order_relaxed);
    if (wi - r.load(std::memory_order_acquire) >= N)
      return false;
    items[wi % N] = v;
    w.store(wi + 1, std::memory_order_release);
    return true;
  }
  const T* front() const {
    const size_t ri = r.load(std::memory_order_relaxed);
    return ri == w.load(std::memory_order_acquire) ? nullptr : &items[ri % N];
  }
  void pop() { r.store(r.load(std::memory_order_relaxed) + 1, std::memory_order_release); }
};

struct Marker {
  size_t pos = 0;          // ring position of the packet's first sample
  int64_t capture_ns = 0;  // when the client captured it, on the host clock
};

}  // namespace

struct MicSource::Impl {
  std::unique_ptr<PwConnection> pw;
  pw_stream* stream = nullptr;
  spa_hook listener{};
  spa_hook core_listener{};
  std::atomic<bool> broken{false};  // PipeWire went away (or the stream failed)
  // The decoder and the ring's write side belong to whoever holds decode_mu:
  // push() (the receiving thread) and conceal_now() (the PipeWire loop thread,
  // woken by the real-time callback through conceal_event when it runs short).
  std::mutex decode_mu;
  OpusDecoder* decoder = nullptr;
  spa_source* conceal_event = nullptr;
  int64_t last_packet_ns = 0;  // when push() last wrote a packet's audio
  // SPSC ring: push() or conceal_now() writes (under decode_mu), the PipeWire
  // callback reads.
  std::vector<float> ring = std::vector<float>(kRingFrames);
  std::atomic<size_t> wpos{0}, rpos{0};
  std::atomic<bool> primed{false};
  std::atomic<size_t> quantum{480};  // frames per callback, learned from PipeWire
  // Frames the callback wants added ahead of the next packet: it ran short
  // with audio still coming (the quantum grew, or packets came late). push()
  // makes them with Opus concealment, which continues the sound, rather than
  // the callback re-priming with silence.
  std::atomic<size_t> topup{0};
  std::atomic<uint64_t> stretched{0};                    // frames made for top-ups
  std::atomic<uint64_t> trimmed{0}, trims{0};            // frames cut from a backlog, and how often
  std::atomic<uint64_t> no_buffer{0};                    // cycles PipeWire had no buffer for us
  std::atomic<int> sched_policy{-1}, sched_priority{0};  // of the data thread
  // Real-time thread only: the depth's quantum and margin (depth_for()).
  size_t pulled_ = 0, held_quantum_ = 0, held_until_ = 0, last_frames_ = 0;
  size_t margin_ = kMinMargin, widened_at_ = 0, narrow_at_ = 0;
  bool trim_ = false;
  std::atomic<size_t> target_frames{0};
  std::atomic<size_t> last_fill{0};  // the depth at the last callback
  // Graph stalls: note_cycle() on the real-time thread; a (re)start of the
  // stream (on_state) begins a new run of cycles, not a stall.
  std::atomic<bool> cycles_restart{true};
  int64_t last_cycle_ns_ = 0, last_quantum_ns_ = 0;
  std::atomic<uint64_t> stalls{0};
  std::atomic<int64_t> longest_stall_ns{0};
  bool have_seq = false;
  uint32_t next_seq = 0;
  std::atomic<uint64_t> packets{0}, concealed{0}, late{0}, underruns{0}, overflows{0}, played{0};
  std::atomic<uint64_t> recovered_fec{0};
  // Latency: push() marks where each packet's samples start; the real-time
  // callback turns marks it plays into latencies. Depth: the buffered audio
  // at each callback. Both are drained by stats() (a mutex off the RT path).
  SpscRing<Marker, kMarkers> marks;
  SpscRing<float, kSamples> latency_ms, depth_ms;
  mutable std::mutex stats_mu;
  mutable std::vector<double> all_latency_ms, all_depth_ms;

  size_t fill() const {
    return wpos.load(std::memory_order_acquire) - rpos.load(std::memory_order_acquire);
  }

  void write(const float* p, size_t n) {
    const size_t w = wpos.load(std::memory_order_relaxed);
    const size_t space = kRingFrames - (w - rpos.load(std::memory_order_acquire));
    if (n > space) {
      ++overflows;
      n = space;
    }
    for (size_t i = 0; i < n; ++i)
      ring[(w + i) % kRingFrames] = p[i];
    wpos.store(w + n, std::memory_order_release);
  }

  // PipeWire's real-time thread: copies out of the ring and nothing more (no
  // decoding, no locks, no allocation, no system calls but the clock and the
  // eventfd write of pw_loop_signal_event when it asks for concealment).
  static void on_process(void* data) {
    auto* self = static_cast<Impl*>(data);
    if (self->sched_policy.load(std::memory_order_relaxed) < 0)
      self->note_scheduling();
    pw_buffer* b = pw_stream_dequeue_buffer(self->stream);
    if (!b) {
      ++self->no_buffer;
      return;
    }
    spa_buffer* buf = b->buffer;
    auto* out = static_cast<float*>(buf->datas[0].data);
    if (!out) {
      pw_stream_queue_buffer(self->stream, b);
      return;
    }
    size_t frames = buf->datas[0].maxsize / sizeof(float);
    if (b->requested > 0)
      frames = std::min<size_t>(frames, b->requested);
    const size_t got = self->play(out, frames);
    std::fill(out + got, out + frames, 0.0f);
    self->played += frames;
    buf->datas[0].chunk->offset = 0;
    buf->datas[0].chunk->stride = sizeof(float);
    buf->datas[0].chunk->size = static_cast<uint32_t>(frames * sizeof(float));
    pw_stream_queue_buffer(self->stream, b);
  }

  void note_scheduling() {
    sched_param p{};
    const int policy = sched_getscheduler(0) & ~SCHED_RESET_ON_FORK;
    (void)sched_getparam(0, &p);
    sched_priority.store(p.sched_priority, std::memory_order_relaxed);
    sched_policy.store(policy, std::memory_order_relaxed);
  }

  // The loop thread, woken by the callback: the top-up now, not only ahead of
  // the next packet (it may be 10 ms away, after the next pull). Only while a
  // sender is sending: a client that stopped gets silence, not 0.6 s of
  // concealment continuing its last word.
  static void on_conceal_event(void* data, uint64_t) {
    auto* self = static_cast<Impl*>(data);
    std::lock_guard lock(self->decode_mu);
    if (self->have_seq && SteadyClock::instance().now_ns() - self->last_packet_ns < 100'000'000)
      self->top_up();
  }

  // What the callback asked for ahead of the next packet, made by Opus
  // concealment from the last packet (it continues the sound and fades).
  // Holding decode_mu.
  void top_up() {
    size_t want = topup.exchange(0, std::memory_order_relaxed);
    float pcm[kPacket];
    while (want > 0) {
      const int n = opus_decode_float(decoder, nullptr, 0, pcm, kPacket, 0);
      if (n <= 0)
        return;
      write(pcm, static_cast<size_t>(n));
      stretched += static_cast<uint64_t>(n);
      want -= std::min(want, static_cast<size_t>(n));
    }
  }

  // The depth to hold before a pull of `frames`: for the largest quantum of
  // the last 10 s, so a graph that drops to a small quantum for a while (a
  // second recorder) and comes back finds the depth it needs, plus the
  // margin. When either shrinks, the surplus is cut once.
  size_t depth_for(size_t frames) {
    pulled_ += frames;
    if (frames >= held_quantum_) {
      held_quantum_ = frames;
      held_until_ = pulled_ + 10 * kRate;
    } else if (pulled_ >= held_until_) {
      held_quantum_ = frames;
      trim_ = true;
    }
    if (margin_ > kMinMargin && pulled_ >= narrow_at_) {
      margin_ = std::max(kMinMargin, margin_ - kPacket);
      narrow_at_ = pulled_ + 10 * kRate;
      trim_ = true;
    }
    const size_t target = target_depth(held_quantum_, margin_);
    target_frames.store(target, std::memory_order_relaxed);
    return target;
  }

  void widen_margin() {
    if (margin_ < kMaxMargin && pulled_ >= widened_at_) {
      margin_ = std::min(kMaxMargin, margin_ + kPacket);
      widened_at_ = pulled_ + kRate / 5;
    }
    narrow_at_ = pulled_ + 10 * kRate;
  }

  // Up to `frames` frames of audio into `out`; how many.
  size_t play(float* out, size_t frames) {
    quantum.store(frames, std::memory_order_relaxed);
    const bool steady = note_cycle(frames);
    const bool grew = last_frames_ > 0 && frames > last_frames_;
    last_frames_ = frames;
    const size_t target = depth_for(frames);
    size_t fill = this->fill();
    // A backlog (a graph that stalled, a sender clock faster than the graph's)
    // or a surplus for a quantum that is gone: back to the target. Not while
    // the graph catches up after a stall: a timer-driven graph runs the
    // cycles it missed back to back, and they drain the backlog themselves
    // (cut first, they would run the buffer dry).
    if (steady && (fill > target + 5 * kPacket || (trim_ && fill > target + kPacket))) {
      const size_t skip = fill - target;
      rpos.fetch_add(skip, std::memory_order_acq_rel);
      fill -= skip;
      trimmed += skip;
      ++trims;
    }
    if (steady)
      trim_ = false;
    if (!primed.load(std::memory_order_relaxed) && fill >= target)
      primed.store(true, std::memory_order_relaxed);
    depth_ms.push(static_cast<float>(fill) * 1000.0f / kRate);
    last_fill.store(fill, std::memory_order_relaxed);
    if (!primed.load(std::memory_order_relaxed))
      return 0;
    const size_t got = std::min(fill, frames);
    const size_t r = rpos.load(std::memory_order_relaxed);
    note_latency(r, got);
    for (size_t i = 0; i < got; ++i)
      out[i] = ring[(r + i) % kRingFrames];
    rpos.store(r + got, std::memory_order_release);
    // Before the next pull the sender brings about one quantum more. When
    // that will leave the depth more than a packet (the swing of the packets'
    // phase) short of the target, or this pull already ran short (even dry:
    // packets held up), the next packet first tops it up, and the sound
    // resumes with it. A new sender primes afresh.
    const size_t expected = fill - got + frames;
    if (got < frames) {
      ++underruns;
      widen_margin();
    }
    size_t want = 0;
    if (got < frames || expected + kPacket < target)
      want = target - std::min(expected, target);
    // A graph moving to a larger quantum runs the first larger cycle on the
    // old cycle's timer and the next one right behind it (PipeWire 0.3.65:
    // two 2048-frame pulls 5 ms apart after 256-frame ones): one quantum more
    // than real time brings. Cover a second pull now rather than go silent.
    if (grew && fill - got < frames)
      want = std::max(want, frames - (fill - got));
    if (want > 0) {
      topup.store(want, std::memory_order_relaxed);
      pw_loop_signal_event(pw_thread_loop_get_loop(pw->loop()), conceal_event);
    }
    return got;
  }

  // Counts stalls; true when this cycle came at the graph's pace (or is the
  // first of a run), false when it ends a stall or catches up after one. A
  // stall arms the one-time cut: a graph that catches up only part of it
  // leaves a backlog that may be smaller than the general cut threshold (CI:
  // 40 ms left of 400), and that would otherwise stay as added latency.
  bool note_cycle(size_t frames) {
    const int64_t now = SteadyClock::instance().now_ns();
    if (cycles_restart.exchange(false, std::memory_order_relaxed))
      last_cycle_ns_ = 0;
    bool steady = true;
    const int64_t quantum_ns = static_cast<int64_t>(frames) * 1'000'000'000 / kRate;
    if (last_cycle_ns_ > 0) {
      // A graph that moves back to a larger quantum (a recorder that wanted a
      // small one left) waits up to that quantum between cycles around the
      // switch, whichever cycle reports it: a wait, not a stall.
      const int64_t held_ns = static_cast<int64_t>(held_quantum_) * 1'000'000'000 / kRate;
      const int64_t gap = now - last_cycle_ns_;
      const int64_t behind = gap - std::max({last_quantum_ns_, quantum_ns, held_ns});
      if (behind > kStallNs) {
        stalls.fetch_add(1, std::memory_order_relaxed);
        trim_ = true;  // what the catch-up leaves over a packet is cut once, when steady
        if (behind > longest_stall_ns.load(std::memory_order_relaxed))
          longest_stall_ns.store(behind, std::memory_order_relaxed);
      }
      steady = behind <= kStallNs && gap >= last_quantum_ns_ / 2;
    }
    last_cycle_ns_ = now;
    last_quantum_ns_ = quantum_ns;
    return steady;
  }

  // Packets whose first sample goes out now: capture -> leaving the source.
  void note_latency(size_t r, size_t got) {
    const int64_t now = SteadyClock::instance().now_ns();
    while (const Marker* m = marks.front()) {
      if (m->pos >= r + got)
        break;
      if (m->pos >= r)
        latency_ms.push(static_cast<float>(
            (now + static_cast<int64_t>(m->pos - r) * 1'000'000'000 / kRate - m->capture_ns) /
            1e6));
      marks.pop();  // (marks behind r were skipped as backlog)
    }
  }

  static void on_core_error(void* data, uint32_t id, int, int res, const char*) {
    // The core object reporting EPIPE means the daemon is gone.
    if (id == PW_ID_CORE && res == -EPIPE)
      static_cast<Impl*>(data)->broken = true;
  }
  static void on_state(void* data, pw_stream_state, pw_stream_state state, const char*) {
    auto* self = static_cast<Impl*>(data);
    if (state == PW_STREAM_STATE_ERROR || state == PW_STREAM_STATE_UNCONNECTED)
      self->broken = true;
    if (state == PW_STREAM_STATE_STREAMING)
      self->cycles_restart.store(true, std::memory_order_relaxed);
  }

  ~Impl() {
    if (pw)
      pw->stop();
    spa_hook_remove(&core_listener);
    if (conceal_event)
      pw_loop_destroy_source(pw_thread_loop_get_loop(pw->loop()), conceal_event);
    if (stream)
      pw_stream_destroy(stream);
    pw.reset();
    if (decoder)
      opus_decoder_destroy(decoder);
  }
};

Result<std::unique_ptr<MicSource>> MicSource::start() {
  std::unique_ptr<MicSource> m(new MicSource());
  m->impl_ = std::make_unique<Impl>();
  Impl& d = *m->impl_;
  int err = 0;
  d.decoder = opus_decoder_create(kRate, 1, &err);
  if (!d.decoder)
    return make_error(StatusCode::kInternal, fmt::format("Opus decoder: {}", opus_strerror(err)));
  auto pw = PwConnection::connect("punktfunk-mic", "no microphone");
  if (!pw)
    return tl::unexpected(pw.error());
  d.pw = std::move(*pw);
  pw_properties* props =
      pw_properties_new(PW_KEY_MEDIA_TYPE, "Audio", PW_KEY_MEDIA_CATEGORY, "Playback",
                        PW_KEY_MEDIA_CLASS, "Audio/Source", PW_KEY_NODE_NAME, kNodeName,
                        PW_KEY_NODE_DESCRIPTION, "punktfunk client microphone", nullptr);
  pw_thread_loop_lock(d.pw->loop());
  d.stream = pw_stream_new(d.pw->core(), "punktfunk microphone", props);
  static const pw_stream_events events = [] {
    pw_stream_events e{};
    e.version = PW_VERSION_STREAM_EVENTS;
    e.process = &Impl::on_process;
    e.state_changed = &Impl::on_state;
    return e;
  }();
  pw_stream_add_listener(d.stream, &d.listener, &events, &d);
  static const pw_core_events core_events = [] {
    pw_core_events e{};
    e.version = PW_VERSION_CORE_EVENTS;
    e.error = &Impl::on_core_error;
    return e;
  }();
  pw_core_add_listener(d.pw->core(), &d.core_listener, &core_events, &d);
  d.conceal_event =
      pw_loop_add_event(pw_thread_loop_get_loop(d.pw->loop()), &Impl::on_conceal_event, &d);
  uint8_t buffer[512];
  spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
  const spa_pod* params[1] = {build_f32_format(&b, 1)};
  const int r = pw_stream_connect(
      d.stream, PW_DIRECTION_OUTPUT, PW_ID_ANY,
      static_cast<pw_stream_flags>(PW_STREAM_FLAG_MAP_BUFFERS | PW_STREAM_FLAG_RT_PROCESS), params,
      1);
  pw_thread_loop_unlock(d.pw->loop());
  if (r < 0)
    return make_error(StatusCode::kUnavailable,
                      fmt::format("PipeWire: cannot create the mic source: {}", strerror(-r)));
  if (auto st = d.pw->start(); !st.is_ok())
    return tl::unexpected(st);
  log_info("mic: PipeWire source '{}' is up", kNodeName);
  return m;
}

MicSource::~MicSource() = default;

void MicSource::new_sender() {
  Impl& d = *impl_;
  std::lock_guard lock(d.decode_mu);
  d.have_seq = false;
  opus_decoder_ctl(d.decoder, OPUS_RESET_STATE);
  d.topup.store(0, std::memory_order_relaxed);
  d.primed.store(false, std::memory_order_relaxed);
}

bool MicSource::push(uint32_t seq, std::span<const uint8_t> opus, int64_t capture_host_ns) {
  Impl& d = *impl_;
  float pcm[5760];
  std::lock_guard lock(d.decode_mu);
  if (d.have_seq) {
    const int32_t gap = static_cast<int32_t>(seq - d.next_seq);
    if (gap < 0) {
      ++d.late;  // reordered or duplicate: already concealed
      return false;
    }
    // Conceal up to 5 missing packets (10 ms each): the one just before this
    // packet from its in-band FEC copy, any earlier ones with PLC; beyond that
    // the jitter buffer's silence covers the gap.
    const int32_t lost = std::min(gap, 5);
    for (int32_t i = 0; i < lost; ++i) {
      const bool last = i == lost - 1 && gap <= 5;
      const int n = last ? opus_decode_float(d.decoder, opus.data(),
                                             static_cast<opus_int32>(opus.size()), pcm, 480, 1)
                         : opus_decode_float(d.decoder, nullptr, 0, pcm, 480, 0);
      if (n > 0)
        d.write(pcm, static_cast<size_t>(n));
      ++(last ? d.recovered_fec : d.concealed);
    }
  }
  if (d.have_seq)
    d.top_up();
  d.have_seq = true;
  d.next_seq = seq + 1;
  const int n =
      opus_decode_float(d.decoder, opus.data(), static_cast<opus_int32>(opus.size()), pcm, 5760, 0);
  if (n > 0 && capture_host_ns > 0)
    d.marks.push(Marker{d.wpos.load(std::memory_order_relaxed), capture_host_ns});
  if (n > 0)
    d.write(pcm, static_cast<size_t>(n));
  d.last_packet_ns = SteadyClock::instance().now_ns();
  ++d.packets;
  return true;
}

bool MicSource::connected() const {
  return !impl_->broken.load();
}

MicStats MicSource::stats() const {
  Impl& d = *impl_;
  MicStats s{d.packets.load(),   d.concealed.load(), d.late.load(),
             d.underruns.load(), d.overflows.load(), d.played.load()};
  std::lock_guard lock(d.stats_mu);
  for (const float* v; (v = d.latency_ms.front()); d.latency_ms.pop())
    if (d.all_latency_ms.size() < 1'000'000)
      d.all_latency_ms.push_back(*v);
  for (const float* v; (v = d.depth_ms.front()); d.depth_ms.pop())
    if (d.all_depth_ms.size() < 1'000'000)
      d.all_depth_ms.push_back(*v);
  s.recovered_fec = d.recovered_fec.load();
  s.stretched_frames = d.stretched.load();
  s.trimmed_frames = d.trimmed.load();
  s.trims = d.trims.load();
  s.target_ms = static_cast<double>(d.target_frames.load(std::memory_order_relaxed)) * 1000 / kRate;
  s.no_buffer = d.no_buffer.load();
  s.stalls = d.stalls.load(std::memory_order_relaxed);
  s.longest_stall_ms =
      static_cast<double>(d.longest_stall_ns.load(std::memory_order_relaxed)) / 1e6;
  s.sched_policy = d.sched_policy.load(std::memory_order_relaxed);
  s.sched_priority = d.sched_priority.load(std::memory_order_relaxed);
  s.quantum_frames = d.quantum.load(std::memory_order_relaxed);
  s.latency_samples = d.all_latency_ms.size();
  s.latency_ms_p50 = percentile(d.all_latency_ms, 0.5);
  s.latency_ms_p99 = percentile(d.all_latency_ms, 0.99);
  s.depth_ms_p50 = percentile(d.all_depth_ms, 0.5);
  s.depth_ms_last = static_cast<double>(d.last_fill.load(std::memory_order_relaxed)) * 1000 / kRate;
  s.depth_ms_min =
      d.all_depth_ms.empty() ? 0 : *std::min_element(d.all_depth_ms.begin(), d.all_depth_ms.end());
  s.depth_ms_max =
      d.all_depth_ms.empty() ? 0 : *std::max_element(d.all_depth_ms.begin(), d.all_depth_ms.end());
  return s;
}

}  // namespace pf::host
