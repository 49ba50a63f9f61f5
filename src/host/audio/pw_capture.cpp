// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/audio/pw_capture.h"

#include <pipewire/pipewire.h>
#include <spa/param/audio/format-utils.h>

#include <cstring>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "base/log.h"
#include "host/audio/pw_common.h"
#include "host/audio/pw_default_sink.h"
#include "host/audio/pw_sink.h"

namespace pf::host {

namespace {

// A single-producer/single-consumer ring of floats (power-of-two capacity).
class SpscRing {
 public:
  explicit SpscRing(size_t capacity) : buf_(capacity), mask_(capacity - 1) {}
  // Producer: writes what fits, returns how many were written.
  size_t write(const float* p, size_t n) {
    const size_t w = write_.load(std::memory_order_relaxed);
    const size_t r = read_.load(std::memory_order_acquire);
    const size_t space = buf_.size() - (w - r);
    n = std::min(n, space);
    for (size_t i = 0; i < n; ++i)
      buf_[(w + i) & mask_] = p[i];
    write_.store(w + n, std::memory_order_release);
    return n;
  }
  size_t available() const {
    return write_.load(std::memory_order_acquire) - read_.load(std::memory_order_relaxed);
  }
  // Consumer.
  void read(float* out, size_t n) {
    const size_t r = read_.load(std::memory_order_relaxed);
    for (size_t i = 0; i < n; ++i)
      out[i] = buf_[(r + i) & mask_];
    read_.store(r + n, std::memory_order_release);
  }

 private:
  std::vector<float> buf_;
  size_t mask_;
  std::atomic<size_t> write_{0}, read_{0};
};

}  // namespace

struct PwAudioCapture::Impl {
  std::unique_ptr<PwConnection> pw;
  pw_proxy* sink = nullptr;
  pw_stream* stream = nullptr;
  spa_hook stream_listener{};
  int channels = 2;
  SpscRing ring{1 << 17};                           // ~1.4 s of stereo at 48 kHz
  std::unique_ptr<DefaultSinkGuard> default_guard;  // restores the user's default
  std::atomic<uint64_t> captured{0}, dropped{0};

  static void on_process(void* data) {
    auto* self = static_cast<Impl*>(data);
    pw_buffer* b = pw_stream_dequeue_buffer(self->stream);
    if (!b)
      return;
    spa_buffer* buf = b->buffer;
    if (buf->datas[0].data && buf->datas[0].chunk) {
      const auto* samples = static_cast<const float*>(static_cast<const void*>(
          static_cast<const uint8_t*>(buf->datas[0].data) + buf->datas[0].chunk->offset));
      const size_t n = buf->datas[0].chunk->size / sizeof(float);
      const size_t written = self->ring.write(samples, n);
      self->captured += n / static_cast<size_t>(self->channels);
      self->dropped += (n - written) / static_cast<size_t>(self->channels);
    }
    pw_stream_queue_buffer(self->stream, b);
  }

  ~Impl() {
    if (pw)
      pw->stop();
    if (stream)
      pw_stream_destroy(stream);
    if (sink)
      pw_proxy_destroy(sink);
  }
};

Result<std::unique_ptr<PwAudioCapture>> PwAudioCapture::start(int channels) {
  Options o;
  o.channels = channels;
  return start(o);
}

Result<std::unique_ptr<PwAudioCapture>> PwAudioCapture::start(const Options& options) {
  const int channels = options.channels;
  if (channels != 2 && channels != 6 && channels != 8)
    return make_error(StatusCode::kInvalidArgument, "2, 6 or 8 channels");
  std::unique_ptr<PwAudioCapture> c(new PwAudioCapture());
  c->impl_ = std::make_unique<Impl>();
  c->channels_ = channels;
  Impl& d = *c->impl_;
  d.channels = channels;
  auto pw =
      PwConnection::connect("punktfunk-audio", "no desktop audio; a test tone is sent instead");
  if (!pw)
    return tl::unexpected(pw.error());
  d.pw = std::move(*pw);
  pw_properties* sink_props = null_sink_properties(options.sink_name, channels);
  pw_thread_loop_lock(d.pw->loop());
  if (!options.default_sink_monitor && options.create_sink)
    d.sink = static_cast<pw_proxy*>(pw_core_create_object(
        d.pw->core(), "adapter", PW_TYPE_INTERFACE_Node, PW_VERSION_NODE, &sink_props->dict, 0));
  pw_properties_free(sink_props);
  // Without a target, a capture-sink stream follows the default sink's monitor.
  pw_properties* props =
      options.default_sink_monitor
          ? pw_properties_new(PW_KEY_MEDIA_TYPE, "Audio", PW_KEY_MEDIA_CATEGORY, "Capture",
                              PW_KEY_MEDIA_ROLE, "Music", PW_KEY_STREAM_CAPTURE_SINK, "true",
                              PW_KEY_NODE_NAME, "punktfunk-capture", nullptr)
          : pw_properties_new(PW_KEY_MEDIA_TYPE, "Audio", PW_KEY_MEDIA_CATEGORY, "Capture",
                              PW_KEY_MEDIA_ROLE, "Music", PW_KEY_STREAM_CAPTURE_SINK, "true",
                              "target.object", options.sink_name.c_str(), PW_KEY_NODE_TARGET,
                              options.sink_name.c_str(), PW_KEY_NODE_NAME, "punktfunk-capture",
                              nullptr);
  d.stream = pw_stream_new(d.pw->core(), "punktfunk desktop audio", props);
  static const pw_stream_events events = [] {
    pw_stream_events e{};
    e.version = PW_VERSION_STREAM_EVENTS;
    e.process = &Impl::on_process;
    return e;
  }();
  pw_stream_add_listener(d.stream, &d.stream_listener, &events, &d);
  uint8_t buffer[1024];
  spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
  const spa_pod* params[1] = {build_f32_format(&b, channels)};
  const int r = pw_stream_connect(
      d.stream, PW_DIRECTION_INPUT, PW_ID_ANY,
      static_cast<pw_stream_flags>(PW_STREAM_FLAG_AUTOCONNECT | PW_STREAM_FLAG_MAP_BUFFERS |
                                   PW_STREAM_FLAG_RT_PROCESS),
      params, 1);
  pw_thread_loop_unlock(d.pw->loop());
  if (r < 0)
    return make_error(StatusCode::kUnavailable,
                      fmt::format("PipeWire: cannot connect the capture stream: {}", strerror(-r)));
  if (auto st = d.pw->start(); !st.is_ok())
    return tl::unexpected(st);
  if (options.make_default && !options.default_sink_monitor) {
    if (auto g = DefaultSinkGuard::make_default(options.sink_name))
      d.default_guard = std::move(*g);
    else
      log_warn("audio: {}", g.error().message());
  }
  log_info("audio: capturing {} ({} channels)",
           options.default_sink_monitor ? std::string("the default sink's monitor")
                                        : fmt::format("PipeWire sink '{}'", options.sink_name),
           channels);
  return c;
}

PwAudioCapture::~PwAudioCapture() = default;

bool PwAudioCapture::read(float* out, size_t frames, std::chrono::milliseconds timeout) {
  const size_t n = frames * static_cast<size_t>(channels_);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (impl_->ring.available() < n) {
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  impl_->ring.read(out, n);
  return true;
}

PwCaptureStats PwAudioCapture::stats() const {
  return {impl_->captured.load(), impl_->dropped.load()};
}

}  // namespace pf::host
