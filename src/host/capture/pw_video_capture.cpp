// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/capture/pw_video_capture.h"
#include "host/capture/rgb_to_yuv.h"

#include <pipewire/pipewire.h>
#include <spa/param/video/format-utils.h>
#include <spa/pod/builder.h>

#include <linux/dma-buf.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <cerrno>
#include <cstring>
#include <string>

#include <fmt/format.h>
#include <unistd.h>

#include "base/clock.h"
#include "host/audio/pw_common.h"

namespace pf::host {

namespace {

constexpr int64_t kModLinear = 0;  // DRM_FORMAT_MOD_LINEAR: rows in memory, readable by the CPU

// A DMA-BUF mapped for reading (on add_buffer, for the buffer's lifetime).
struct DmaBufMap {
  void* base = nullptr;
  size_t length = 0;
  int fd = -1;
};

// Brackets CPU reads of a DMA-BUF (cache coherency); a no-op for other fds.
void dmabuf_sync(int fd, bool start) {
  dma_buf_sync sync{};
  sync.flags = DMA_BUF_SYNC_READ | (start ? DMA_BUF_SYNC_START : DMA_BUF_SYNC_END);
  while (::ioctl(fd, DMA_BUF_IOCTL_SYNC, &sync) < 0 && errno == EINTR) {
  }
}

}  // namespace

struct PwVideoCapture::Impl {
  std::unique_ptr<PwConnection> pw;
  pw_stream* stream = nullptr;
  spa_hook listener{};
  uint32_t node = 0;
  int want_w = 0, want_h = 0;
  // Guarded by the loop lock:
  spa_video_info_raw format{};
  bool have_format = false;
  bool dmabuf = false;        // the format carries a modifier: buffers are DMA-BUFs
  pw_buffer* held = nullptr;  // the newest picture, kept until a newer one comes
  int64_t held_time_ns = 0;
  bool held_is_new = false;
  std::string error;
  PwVideoStats stats;

  static void on_state(void* data, pw_stream_state, pw_stream_state state, const char* err) {
    auto* self = static_cast<Impl*>(data);
    if (state == PW_STREAM_STATE_ERROR || state == PW_STREAM_STATE_UNCONNECTED)
      self->error = fmt::format("PipeWire video stream {}: {}",
                                state == PW_STREAM_STATE_ERROR ? "failed" : "disconnected",
                                err ? err : "the node went away");
    pw_thread_loop_signal(self->pw->loop(), false);
  }

  static void on_param_changed(void* data, uint32_t id, const spa_pod* param) {
    auto* self = static_cast<Impl*>(data);
    if (id != SPA_PARAM_Format || !param)
      return;
    spa_video_info_raw info{};
    if (spa_format_video_raw_parse(param, &info) < 0)
      return;
    self->format = info;
    self->have_format = true;
    // A format with a modifier (only LINEAR was offered) comes as DMA-BUFs;
    // else shared memory: a mapped memfd or plain pointers.
    self->dmabuf = spa_pod_find_prop(param, nullptr, SPA_FORMAT_VIDEO_modifier) != nullptr;
    const int types =
        self->dmabuf ? (1 << SPA_DATA_DmaBuf) : ((1 << SPA_DATA_MemFd) | (1 << SPA_DATA_MemPtr));
    uint8_t buffer[256];
    spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    const spa_pod* params[1] = {static_cast<const spa_pod*>(
        spa_pod_builder_add_object(&b, SPA_TYPE_OBJECT_ParamBuffers, SPA_PARAM_Buffers,
                                   SPA_PARAM_BUFFERS_dataType, SPA_POD_CHOICE_FLAGS_Int(types)))};
    pw_stream_update_params(self->stream, params, 1);
  }

  // Buffers go away on renegotiation or when the node disappears: never keep
  // a pointer to one.
  static void on_remove_buffer(void* data, pw_buffer* b) {
    auto* self = static_cast<Impl*>(data);
    if (self->held == b)
      self->held = nullptr;
    if (auto* map = static_cast<DmaBufMap*>(b->user_data)) {
      ::munmap(map->base, map->length);
      delete map;
      b->user_data = nullptr;
    }
  }

  // A DMA-BUF is mapped once, for reading with the CPU (linear layout).
  static void on_add_buffer(void* data, pw_buffer* b) {
    const spa_data& d = b->buffer->datas[0];
    if (d.type != SPA_DATA_DmaBuf || d.fd < 0 || d.maxsize == 0)
      return;
    const size_t length = static_cast<size_t>(d.mapoffset) + d.maxsize;
    void* base = ::mmap(nullptr, length, PROT_READ, MAP_SHARED, static_cast<int>(d.fd), 0);
    if (base == MAP_FAILED)
      return;
    b->user_data = new DmaBufMap{base, length, static_cast<int>(d.fd)};
    ++static_cast<Impl*>(data)->stats.dmabufs_mapped;
  }

  // The picture's first byte and the bytes readable from there; nullptr when
  // the buffer holds none.
  static const uint8_t* pixels_of(const pw_buffer* b, size_t& readable) {
    const spa_data& d = b->buffer->datas[0];
    if (!d.chunk || d.chunk->size == 0 || (d.chunk->flags & SPA_CHUNK_FLAG_CORRUPTED) ||
        d.chunk->offset >= d.maxsize)
      return nullptr;
    readable = d.maxsize - d.chunk->offset;
    if (const auto* map = static_cast<const DmaBufMap*>(b->user_data))
      return static_cast<const uint8_t*>(map->base) + d.mapoffset + d.chunk->offset;
    return d.data ? static_cast<const uint8_t*>(d.data) + d.chunk->offset : nullptr;
  }

  static void on_process(void* data) {
    auto* self = static_cast<Impl*>(data);
    // Keep only the newest buffer; hand older ones straight back.
    pw_buffer* newest = nullptr;
    while (pw_buffer* b = pw_stream_dequeue_buffer(self->stream)) {
      if (newest)
        pw_stream_queue_buffer(self->stream, newest);
      newest = b;
    }
    if (!newest)
      return;
    size_t readable = 0;
    if (!pixels_of(newest, readable)) {
      ++self->stats.empty;
      pw_stream_queue_buffer(self->stream, newest);
      return;
    }
    ++self->stats.buffers;
    if (self->held)
      pw_stream_queue_buffer(self->stream, self->held);
    self->held = newest;
    self->held_time_ns = SteadyClock::instance().now_ns();
    self->held_is_new = true;
    pw_thread_loop_signal(self->pw->loop(), false);
  }

  ~Impl() {
    if (pw)
      pw->stop();
    if (stream)
      pw_stream_destroy(stream);  // returns the held buffer with the rest
  }
};

Result<std::unique_ptr<PwVideoCapture>> PwVideoCapture::open(uint32_t node_id,
                                                             int width,
                                                             int height,
                                                             int fps,
                                                             std::chrono::milliseconds timeout,
                                                             int remote_fd) {
  if (width < 16 || height < 16 || width > 16384 || height > 16384 || fps < 1) {
    if (remote_fd >= 0)
      ::close(remote_fd);
    return make_error(StatusCode::kInvalidArgument,
                      fmt::format("cannot capture {}x{}@{}", width, height, fps));
  }
  std::unique_ptr<PwVideoCapture> c(new PwVideoCapture());
  c->impl_ = std::make_unique<Impl>();
  c->width_ = width;
  c->height_ = height;
  Impl& d = *c->impl_;
  d.node = node_id;
  d.want_w = width;
  d.want_h = height;
  auto pw = PwConnection::connect("punktfunk-video", "no screen capture", remote_fd);
  if (!pw)
    return tl::unexpected(pw.error());
  d.pw = std::move(*pw);

  pw_thread_loop_lock(d.pw->loop());
  d.stream = pw_stream_new(d.pw->core(), "punktfunk screen capture",
                           pw_properties_new(PW_KEY_MEDIA_TYPE, "Video", PW_KEY_MEDIA_CATEGORY,
                                             "Capture", PW_KEY_MEDIA_ROLE, "Screen", nullptr));
  static const pw_stream_events events = [] {
    pw_stream_events e{};
    e.version = PW_VERSION_STREAM_EVENTS;
    e.state_changed = &Impl::on_state;
    e.param_changed = &Impl::on_param_changed;
    e.process = &Impl::on_process;
    e.add_buffer = &Impl::on_add_buffer;
    e.remove_buffer = &Impl::on_remove_buffer;
    return e;
  }();
  pw_stream_add_listener(d.stream, &d.listener, &events, &d);
  // Exactly the session's size (a virtual monitor is created at the size its
  // consumer asks for), 32-bit RGB, up to the session's rate: first as
  // linear DMA-BUFs (a GPU compositor's buffers, read in place), then in
  // shared memory.
  uint8_t buffer[2048];
  spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
  spa_rectangle size = SPA_RECTANGLE(static_cast<uint32_t>(width), static_cast<uint32_t>(height));
  spa_fraction rate = SPA_FRACTION(static_cast<uint32_t>(fps), 1);
  spa_fraction no_rate = SPA_FRACTION(0, 1);
  spa_fraction min_rate = SPA_FRACTION(1, 1);
  const spa_pod* params[2];
  for (int with_modifier = 1; with_modifier >= 0; --with_modifier) {
    spa_pod_frame f;
    spa_pod_builder_push_object(&b, &f, SPA_TYPE_OBJECT_Format, SPA_PARAM_EnumFormat);
    spa_pod_builder_add(
        &b, SPA_FORMAT_mediaType, SPA_POD_Id(SPA_MEDIA_TYPE_video), SPA_FORMAT_mediaSubtype,
        SPA_POD_Id(SPA_MEDIA_SUBTYPE_raw), SPA_FORMAT_VIDEO_format,
        SPA_POD_CHOICE_ENUM_Id(5, SPA_VIDEO_FORMAT_BGRx, SPA_VIDEO_FORMAT_BGRx,
                               SPA_VIDEO_FORMAT_BGRA, SPA_VIDEO_FORMAT_RGBx, SPA_VIDEO_FORMAT_RGBA),
        SPA_FORMAT_VIDEO_size, SPA_POD_CHOICE_RANGE_Rectangle(&size, &size, &size),
        SPA_FORMAT_VIDEO_framerate, SPA_POD_Fraction(&no_rate), SPA_FORMAT_VIDEO_maxFramerate,
        SPA_POD_CHOICE_RANGE_Fraction(&rate, &min_rate, &rate), 0);
    if (with_modifier) {
      spa_pod_builder_prop(&b, SPA_FORMAT_VIDEO_modifier, SPA_POD_PROP_FLAG_MANDATORY);
      spa_pod_builder_long(&b, kModLinear);
    }
    params[1 - with_modifier] = static_cast<const spa_pod*>(spa_pod_builder_pop(&b, &f));
  }
  int r = pw_stream_connect(
      d.stream, PW_DIRECTION_INPUT, node_id,
      static_cast<pw_stream_flags>(PW_STREAM_FLAG_AUTOCONNECT | PW_STREAM_FLAG_MAP_BUFFERS), params,
      2);
  pw_thread_loop_unlock(d.pw->loop());
  if (r < 0)
    return make_error(
        StatusCode::kUnavailable,
        fmt::format("PipeWire: cannot connect to video node {}: {}", node_id, std::strerror(-r)));
  if (auto st = d.pw->start(); !st.is_ok())
    return tl::unexpected(st);

  // Wait for the format and the first picture.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  pw_thread_loop_lock(d.pw->loop());
  while (!d.held && d.error.empty() && std::chrono::steady_clock::now() < deadline) {
    timespec abstime;
    pw_thread_loop_get_time(d.pw->loop(), &abstime, 100'000'000);  // 100 ms
    pw_thread_loop_timed_wait_full(d.pw->loop(), &abstime);
  }
  std::string why = d.error;
  if (why.empty() && !d.held)
    why = fmt::format("no picture from PipeWire video node {} within {} ms{}", node_id,
                      timeout.count(), d.have_format ? "" : " (no format agreed)");
  else if (why.empty() && (d.format.size.width != static_cast<uint32_t>(width) ||
                           d.format.size.height != static_cast<uint32_t>(height)))
    why = fmt::format("PipeWire video node {} sends {}x{}, not {}x{}", node_id, d.format.size.width,
                      d.format.size.height, width, height);
  pw_thread_loop_unlock(d.pw->loop());
  if (!why.empty())
    return make_error(StatusCode::kUnavailable, why);
  return c;
}

PwVideoCapture::~PwVideoCapture() = default;

std::string PwVideoCapture::describe() const {
  pw_thread_loop_lock(impl_->pw->loop());
  const bool dmabuf = impl_->dmabuf;
  pw_thread_loop_unlock(impl_->pw->loop());
  return fmt::format("PipeWire node {} ({})", impl_->node,
                     dmabuf ? "DMA-BUF, linear" : "shared memory");
}

PwVideoStats PwVideoCapture::stats() const {
  pw_thread_loop_lock(impl_->pw->loop());
  PwVideoStats s = impl_->stats;
  pw_thread_loop_unlock(impl_->pw->loop());
  return s;
}

Status PwVideoCapture::capture(uint32_t index, int64_t capture_time_ns, YuvFrame& out) {
  Impl& d = *impl_;
  pw_thread_loop_lock(d.pw->loop());
  // Without a held picture (buffers renegotiated) wait a little for the next.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
  while (!d.held && d.error.empty() && std::chrono::steady_clock::now() < deadline) {
    timespec abstime;
    pw_thread_loop_get_time(d.pw->loop(), &abstime, 50'000'000);  // 50 ms
    pw_thread_loop_timed_wait_full(d.pw->loop(), &abstime);
  }
  if (!d.error.empty() || !d.held) {
    const std::string why =
        d.error.empty() ? fmt::format("no picture from PipeWire video node {}", d.node) : d.error;
    pw_thread_loop_unlock(d.pw->loop());
    return Status(StatusCode::kUnavailable, why);
  }
  const spa_data& data = d.held->buffer->datas[0];
  size_t readable = 0;
  const uint8_t* pixels = Impl::pixels_of(d.held, readable);
  const auto* map = static_cast<const DmaBufMap*>(d.held->user_data);
  const int stride = data.chunk->stride > 0 ? data.chunk->stride : width_ * 4;
  out.allocate(width_, height_);
  out.index = index;
  // A new picture is as old as its arrival; a repeated one is what the
  // screen shows now.
  out.capture_time_ns = d.held_is_new ? d.held_time_ns : capture_time_ns;
  d.held_is_new = false;
  const bool bgr =
      d.format.format == SPA_VIDEO_FORMAT_BGRx || d.format.format == SPA_VIDEO_FORMAT_BGRA;
  const size_t need = static_cast<size_t>(stride) * (height_ - 1) + static_cast<size_t>(width_) * 4;
  bool converted = false;
  if (map)
    dmabuf_sync(map->fd, true);
  if (pixels && need <= readable)
    converted = rgbx_to_yuv(pixels, stride, bgr ? RgbxOrder::kBgrx : RgbxOrder::kRgbx, out).is_ok();
  if (map)
    dmabuf_sync(map->fd, false);
  pw_thread_loop_unlock(d.pw->loop());
  if (!converted)
    return Status(StatusCode::kDataLoss, "PipeWire video buffer is smaller than its format");
  return Status::ok();
}

}  // namespace pf::host
