// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once
// For the mic tests: a client pushing a 440 Hz sine, a reference source node,
// a CPU burner, and a fixture with a real PipeWire at exact quanta and the
// punktfunk-mic source up.

#include <opus/opus.h>
#include <pipewire/pipewire.h>
#include <pthread.h>
#include <spa/param/audio/format-utils.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "base/thread_priority.h"
#include "host/audio/mic_source.h"
#include "host/audio/pw_common.h"
#include "host/audio/pw_test_env.h"

namespace pf::host::testing {

// The client side: Opus VOIP, mono, 10 ms, 48 kbit/s, one packet of the sine
// every 10 ms, from a thread of its own until destroyed.
class SineClient {
 public:
  using Push = std::function<void(uint32_t seq, std::span<const uint8_t> opus, int64_t capture_ns)>;
  explicit SineClient(MicSource& mic)
      : SineClient([&mic](uint32_t seq, std::span<const uint8_t> opus, int64_t capture_ns) {
          mic.push(seq, opus, capture_ns);
        }) {}
  explicit SineClient(Push push) : push_(std::move(push)) {
    int err = 0;
    enc_ = opus_encoder_create(48000, 1, OPUS_APPLICATION_VOIP, &err);
    opus_encoder_ctl(enc_, OPUS_SET_BITRATE(48000));
    thread_ = std::thread([this] { run(); });
  }
  ~SineClient() {
    stop_ = true;
    thread_.join();
    opus_encoder_destroy(enc_);
  }

 private:
  // Like a microphone: a packet leaves once its 10 ms are captured, stamped
  // with the time of its first sample. It stands in for the host's QUIC
  // thread (where mic packets arrive and are decoded), so it runs at that
  // thread's priority.
  void run() {
    (void)raise_thread_priority(-10);
    uint64_t n = 0;
    auto next = std::chrono::steady_clock::now();
    for (uint32_t seq = 0; !stop_; ++seq) {
      const auto first_sample = next;
      next += std::chrono::milliseconds(10);
      std::this_thread::sleep_until(next);
      // A loaded machine may wake this thread late: a packet more than 20 ms
      // late may run any jitter buffer dry (the environment, like a graph
      // stall), so it is counted.
      if (std::chrono::steady_clock::now() - next > std::chrono::milliseconds(20))
        late_sends.fetch_add(1);
      float pcm[480];
      for (float& s : pcm)
        s = 0.25f *
            static_cast<float>(std::sin(2 * M_PI * 440.0 * static_cast<double>(n++) / 48000));
      uint8_t pkt[400];
      const int len = opus_encode_float(enc_, pcm, 480, pkt, sizeof pkt);
      if (len > 0)
        push_(seq, std::span<const uint8_t>(pkt, static_cast<size_t>(len)),
              std::chrono::duration_cast<std::chrono::nanoseconds>(first_sample.time_since_epoch())
                  .count());
    }
  }
  Push push_;
  OpusEncoder* enc_ = nullptr;
  std::atomic<bool> stop_{false};
  std::thread thread_;

 public:
  // Packets sent more than 20 ms late, by every SineClient of the process.
  static inline std::atomic<uint64_t> late_sends{0};
};

// Busy loops on every core while it lives: a loaded machine.
class CpuBurner {
 public:
  CpuBurner() {
    for (unsigned i = 0; i < std::max(2u, std::thread::hardware_concurrency()); ++i)
      threads_.emplace_back([this] {
        volatile uint64_t x = 0;
        while (!stop_)
          x = x + 1;
      });
  }
  ~CpuBurner() {
    stop_ = true;
    for (auto& t : threads_)
      t.join();
  }

 private:
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

// The reference beside the source in the same run: a PipeWire source node
// made the same way (same connection, same real-time callback) that computes
// the sine in its callback — no network, no decoder, no jitter buffer. What
// its recording shows is what PipeWire and this machine give any source.
class ReferenceSine {
 public:
  static constexpr const char* kNodeName = "pf-reference-sine";
  ReferenceSine() {
    auto pw = PwConnection::connect("pf-reference", "reference");
    if (!pw)
      return;
    pw_ = std::move(*pw);
    pw_thread_loop_lock(pw_->loop());
    stream_ = pw_stream_new(pw_->core(), "reference sine",
                            pw_properties_new(PW_KEY_MEDIA_TYPE, "Audio", PW_KEY_MEDIA_CATEGORY,
                                              "Playback", PW_KEY_MEDIA_CLASS, "Audio/Source",
                                              PW_KEY_NODE_NAME, kNodeName, nullptr));
    static const pw_stream_events events = [] {
      pw_stream_events e{};
      e.version = PW_VERSION_STREAM_EVENTS;
      e.process = &ReferenceSine::on_process;
      return e;
    }();
    pw_stream_add_listener(stream_, &listener_, &events, this);
    uint8_t buffer[512];
    spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    const spa_pod* params[1] = {build_f32_format(&b, 1)};
    pw_stream_connect(
        stream_, PW_DIRECTION_OUTPUT, PW_ID_ANY,
        static_cast<pw_stream_flags>(PW_STREAM_FLAG_MAP_BUFFERS | PW_STREAM_FLAG_RT_PROCESS),
        params, 1);
    pw_thread_loop_unlock(pw_->loop());
    (void)pw_->start();
  }
  ~ReferenceSine() {
    if (!pw_)
      return;
    pw_->stop();
    pw_stream_destroy(stream_);
  }

 private:
  static void on_process(void* data) {
    auto* self = static_cast<ReferenceSine*>(data);
    pw_buffer* b = pw_stream_dequeue_buffer(self->stream_);
    if (!b)
      return;
    auto* out = static_cast<float*>(b->buffer->datas[0].data);
    size_t frames = b->buffer->datas[0].maxsize / sizeof(float);
    if (b->requested > 0)
      frames = std::min<size_t>(frames, b->requested);
    for (size_t i = 0; i < frames; ++i)
      out[i] = 0.25f * static_cast<float>(
                           std::sin(2 * M_PI * 440.0 * static_cast<double>(self->n_++) / 48000));
    b->buffer->datas[0].chunk->offset = 0;
    b->buffer->datas[0].chunk->stride = sizeof(float);
    b->buffer->datas[0].chunk->size = static_cast<uint32_t>(frames * sizeof(float));
    pw_stream_queue_buffer(self->stream_, b);
  }
  std::unique_ptr<PwConnection> pw_;
  pw_stream* stream_ = nullptr;
  spa_hook listener_{};
  uint64_t n_ = 0;
};

class MicFixture : public PipeWireEnv {
 protected:
  MicFixture() { exact_quantum_ = true; }
  void SetUp() override {
    PipeWireEnv::SetUp();
    if (HasFatalFailure())
      return;
    auto mic = MicSource::start();
    ASSERT_TRUE(mic) << mic.error().to_string();
    mic_ = std::move(*mic);
    bool node = false;
    for (int i = 0; i < 50 && !node; ++i) {
      node = std::system("pw-cli ls Node | grep -q 'node.name = \"punktfunk-mic\"'") == 0;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_TRUE(node);
  }
  void TearDown() override {
    mic_.reset();
    PipeWireEnv::TearDown();
  }
  void report(const char* what, const ToneAnalysis& a) const {
    const MicStats st = mic_->stats();
    std::printf(
        "%s: %zu of %zu 10 ms windows silent (%.2f %%), %.1f ms silent in all (longest %.1f), "
        "%zu discontinuities, RMS %.4f; source: %lu packets, %lu underruns, %lu frames of "
        "concealment to refill, %lu trimmed in %lu cuts, %lu cycles without a buffer, %lu graph "
        "stalls (longest %.1f ms), target %.1f ms, data thread %s (priority %d)\n",
        what, a.silent_windows, a.windows,
        100.0 * a.silent_windows / std::max<size_t>(a.windows, 1), a.silent_ms,
        a.longest_silence_ms, a.discontinuities, a.rms, static_cast<unsigned long>(st.packets),
        static_cast<unsigned long>(st.underruns), static_cast<unsigned long>(st.stretched_frames),
        static_cast<unsigned long>(st.trimmed_frames), static_cast<unsigned long>(st.trims),
        static_cast<unsigned long>(st.no_buffer), static_cast<unsigned long>(st.stalls),
        st.longest_stall_ms, st.target_ms, st.realtime() ? "real-time" : "SCHED_OTHER",
        st.sched_priority);
  }
  // The source and the reference recorded at once at `quantum` by one
  // recorder (record_pair: a glitch of the recorder or the graph shows in
  // both); reported.
  std::pair<ToneAnalysis, ToneAnalysis> record_both(const std::string& what,
                                                    int quantum,
                                                    int seconds) {
    const uint64_t stalls_before = mic_->stats().stalls;
    const uint64_t late_before = SineClient::late_sends.load();
    const auto [mic, reference] =
        record_pair(dir_, MicSource::kNodeName, ReferenceSine::kNodeName, quantum, seconds);
    const auto a = analyse_tone(mic);
    const auto ref = analyse_tone(reference);
    stalls_recorded_ = mic_->stats().stalls - stalls_before;
    late_sends_recorded_ = SineClient::late_sends.load() - late_before;
    report(what.c_str(), a);
    std::printf(
        "%s, the reference: %zu 10 ms windows silent, %.1f ms silent in all, %zu "
        "discontinuities\n",
        what.c_str(), ref.silent_windows, ref.silent_ms, ref.discontinuities);
    return {a, ref};
  }
  // What every clean recording of the sine shows (the mic issue's bounds):
  // < 0.2 % silent windows, RMS within 5 %, 440 Hz >= 1000x the other bins,
  // and glitches of its own (discontinuities or silent runs with none of the
  // reference's within 20 ms, the reference being the other channel of the
  // same recording: on a small loaded machine the graph itself misses cycles
  // at small quanta, whatever the source) <= 2 per 20 s (at least one
  // allowed), plus one for each graph stall the source counted while
  // recorded (its backlog is cut: AGraphStallIsCountedAndItsBacklogCutOnce),
  // and two for each client packet the test's sender sent more than 20 ms late.
  void expect_clean(const ToneAnalysis& a, const ToneAnalysis& ref, const std::string& what) const {
    ASSERT_GT(a.samples, 48000u * 2) << what << ": recorded " << a.samples << " samples";
    ASSERT_GT(ref.samples, 48000u * 2) << what << ": the reference recorded " << ref.samples;
    EXPECT_GT(a.worst_ratio, 1000) << what;
    EXPECT_LT(static_cast<double>(a.silent_windows) / a.windows,
              0.002 + static_cast<double>(ref.silent_windows) / ref.windows)
        << what;
    EXPECT_NEAR(a.rms, 0.177, 0.177 * 0.05) << what;
    const double seconds = static_cast<double>(a.samples) / 48000;
    // A client packet sent late may underrun the source: silence and a jump
    // back, two events.
    EXPECT_LE(static_cast<double>(own_glitches(a, ref)),
              std::max(1.0, 2 * seconds / 20) + static_cast<double>(stalls_recorded_) +
                  2.0 * static_cast<double>(late_sends_recorded_))
        << what << " (" << a.discontinuities << " discontinuities, the reference "
        << ref.discontinuities << "; " << stalls_recorded_ << " graph stalls, "
        << late_sends_recorded_ << " client packets sent late)";
  }
  uint64_t stalls_recorded_ = 0;      // graph stalls during record_both()
  uint64_t late_sends_recorded_ = 0;  // SineClient packets sent > 20 ms late meanwhile
  std::unique_ptr<MicSource> mic_;
};

}  // namespace pf::host::testing
