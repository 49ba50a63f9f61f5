// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once
// A PipeWire video source for tests: a driver node that paints every frame
// one colour (BGRx, little endian) at a fixed size. With `dmabuf` it offers
// only the linear modifier and hands its buffers out as SPA_DATA_DmaBuf:
// memfds here (this machine has no GPU to allocate real DMA-BUFs), so a
// consumer runs its DMA-BUF path (negotiation, mapping the fd, the sync
// bracket, which a memfd ignores) on memory it can check.

#include <pipewire/pipewire.h>
#include <spa/param/video/format-utils.h>
#include <spa/pod/builder.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <string>

#include "base/status.h"
#include "host/audio/pw_common.h"

namespace pf::host::testing {

class PwTestVideoSource {
 public:
  PwTestVideoSource(int width, int height, bool dmabuf, uint32_t bgrx)
      : w_(width), h_(height), dmabuf_(dmabuf), colour_(bgrx) {}
  ~PwTestVideoSource() {
    if (!pw_)
      return;
    pw_thread_loop_lock(pw_->loop());
    if (timer_)
      pw_loop_destroy_source(pw_thread_loop_get_loop(pw_->loop()), timer_);
    if (stream_)
      pw_stream_destroy(stream_);
    pw_thread_loop_unlock(pw_->loop());
    pw_->stop();
  }

  // Connects and waits until PipeWire gave the node an id.
  Status start() {
    auto pw = PwConnection::connect("pf-test-video", "test video source");
    if (!pw)
      return pw.error();
    pw_ = std::move(*pw);
    pw_thread_loop_lock(pw_->loop());
    stream_ = pw_stream_new(pw_->core(), "pf-test-video",
                            pw_properties_new(PW_KEY_MEDIA_CLASS, "Video/Source", nullptr));
    static const pw_stream_events events = [] {
      pw_stream_events e{};
      e.version = PW_VERSION_STREAM_EVENTS;
      e.param_changed = &PwTestVideoSource::on_param_changed;
      e.add_buffer = &PwTestVideoSource::on_add_buffer;
      e.remove_buffer = &PwTestVideoSource::on_remove_buffer;
      e.process = &PwTestVideoSource::on_process;
      return e;
    }();
    pw_stream_add_listener(stream_, &listener_, &events, this);
    uint8_t buf[1024];
    spa_pod_builder b = SPA_POD_BUILDER_INIT(buf, sizeof(buf));
    spa_rectangle size = SPA_RECTANGLE(static_cast<uint32_t>(w_), static_cast<uint32_t>(h_));
    // Like a compositor: a variable rate (0/1) up to 60 fps.
    spa_fraction rate = SPA_FRACTION(0, 1);
    spa_fraction max_rate = SPA_FRACTION(60, 1), min_rate = SPA_FRACTION(1, 1);
    spa_pod_frame f;
    spa_pod_builder_push_object(&b, &f, SPA_TYPE_OBJECT_Format, SPA_PARAM_EnumFormat);
    spa_pod_builder_add(&b, SPA_FORMAT_mediaType, SPA_POD_Id(SPA_MEDIA_TYPE_video),
                        SPA_FORMAT_mediaSubtype, SPA_POD_Id(SPA_MEDIA_SUBTYPE_raw),
                        SPA_FORMAT_VIDEO_format, SPA_POD_Id(SPA_VIDEO_FORMAT_BGRx),
                        SPA_FORMAT_VIDEO_size, SPA_POD_Rectangle(&size), SPA_FORMAT_VIDEO_framerate,
                        SPA_POD_Fraction(&rate), SPA_FORMAT_VIDEO_maxFramerate,
                        SPA_POD_CHOICE_RANGE_Fraction(&max_rate, &min_rate, &max_rate), 0);
    if (dmabuf_) {
      spa_pod_builder_prop(&b, SPA_FORMAT_VIDEO_modifier, SPA_POD_PROP_FLAG_MANDATORY);
      spa_pod_builder_long(&b, 0);  // DRM_FORMAT_MOD_LINEAR
    }
    const spa_pod* params[1] = {static_cast<const spa_pod*>(spa_pod_builder_pop(&b, &f))};
    const int r = pw_stream_connect(
        stream_, PW_DIRECTION_OUTPUT, PW_ID_ANY,
        static_cast<pw_stream_flags>(PW_STREAM_FLAG_DRIVER | PW_STREAM_FLAG_ALLOC_BUFFERS), params,
        1);
    // Frames on a 16 ms timer: the node drives itself.
    timer_ =
        pw_loop_add_timer(pw_thread_loop_get_loop(pw_->loop()), &PwTestVideoSource::on_timer, this);
    timespec period{0, 16'000'000};
    pw_loop_update_timer(pw_thread_loop_get_loop(pw_->loop()), timer_, &period, &period, false);
    pw_thread_loop_unlock(pw_->loop());
    if (r < 0)
      return Status(StatusCode::kUnavailable, "test video source: cannot connect");
    if (auto st = pw_->start(); !st.is_ok())
      return st;
    for (int i = 0; i < 200 && node_id() == SPA_ID_INVALID; ++i)
      ::usleep(10'000);
    return node_id() == SPA_ID_INVALID ? Status(StatusCode::kTimeout, "test video source: no id")
                                       : Status::ok();
  }

  uint32_t node_id() const {
    pw_thread_loop_lock(pw_->loop());
    const uint32_t id = pw_stream_get_node_id(stream_);
    pw_thread_loop_unlock(pw_->loop());
    return id;
  }
  uint64_t frames() const { return frames_; }
  // What type the negotiated buffers had.
  bool handed_out_dmabufs() const { return dmabufs_ > 0; }

 private:
  static void on_timer(void* data, uint64_t) {
    auto* self = static_cast<PwTestVideoSource*>(data);
    pw_stream_trigger_process(self->stream_);
  }
  static void on_param_changed(void* data, uint32_t id, const spa_pod* param) {
    auto* self = static_cast<PwTestVideoSource*>(data);
    if (id != SPA_PARAM_Format || !param)
      return;
    const int stride = self->w_ * 4;
    uint8_t buf[256];
    spa_pod_builder b = SPA_POD_BUILDER_INIT(buf, sizeof(buf));
    const spa_pod* params[1] = {static_cast<const spa_pod*>(spa_pod_builder_add_object(
        &b, SPA_TYPE_OBJECT_ParamBuffers, SPA_PARAM_Buffers, SPA_PARAM_BUFFERS_buffers,
        SPA_POD_Int(4), SPA_PARAM_BUFFERS_blocks, SPA_POD_Int(1), SPA_PARAM_BUFFERS_size,
        SPA_POD_Int(stride * self->h_), SPA_PARAM_BUFFERS_stride, SPA_POD_Int(stride),
        SPA_PARAM_BUFFERS_dataType,
        SPA_POD_CHOICE_FLAGS_Int(self->dmabuf_ ? (1 << SPA_DATA_DmaBuf) : (1 << SPA_DATA_MemFd))))};
    pw_stream_update_params(self->stream_, params, 1);
  }
  static void on_add_buffer(void* data, pw_buffer* b) {
    auto* self = static_cast<PwTestVideoSource*>(data);
    spa_data& d = b->buffer->datas[0];
    const size_t size = static_cast<size_t>(self->w_) * 4 * self->h_;
    const int fd = ::memfd_create("pf-test-video", MFD_CLOEXEC);
    if (fd < 0 || ::ftruncate(fd, static_cast<off_t>(size)) != 0)
      return;
    void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    d.type = self->dmabuf_ ? SPA_DATA_DmaBuf : SPA_DATA_MemFd;
    d.flags = SPA_DATA_FLAG_READWRITE;
    d.fd = fd;
    d.mapoffset = 0;
    d.maxsize = static_cast<uint32_t>(size);
    d.data = p;
    if (self->dmabuf_)
      ++self->dmabufs_;
  }
  static void on_remove_buffer(void*, pw_buffer* b) {
    spa_data& d = b->buffer->datas[0];
    if (d.data)
      ::munmap(d.data, d.maxsize);
    if (d.fd >= 0)
      ::close(static_cast<int>(d.fd));
    d.data = nullptr;
    d.fd = -1;
  }
  static void on_process(void* data) {
    auto* self = static_cast<PwTestVideoSource*>(data);
    pw_buffer* b = pw_stream_dequeue_buffer(self->stream_);
    if (!b)
      return;
    spa_data& d = b->buffer->datas[0];
    if (d.data) {
      auto* px = static_cast<uint32_t*>(d.data);
      for (size_t i = 0; i < d.maxsize / 4; ++i)
        px[i] = self->colour_;
      d.chunk->offset = 0;
      d.chunk->size = d.maxsize;
      d.chunk->stride = self->w_ * 4;
      d.chunk->flags = 0;
      ++self->frames_;
    }
    pw_stream_queue_buffer(self->stream_, b);
  }

  int w_, h_;
  bool dmabuf_;
  uint32_t colour_;
  std::unique_ptr<PwConnection> pw_;
  pw_stream* stream_ = nullptr;
  spa_hook listener_{};
  spa_source* timer_ = nullptr;
  std::atomic<uint64_t> frames_{0};
  std::atomic<int> dmabufs_{0};
};

}  // namespace pf::host::testing
