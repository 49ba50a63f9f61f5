// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/capture/wlr_screencopy_capture.h"
#include "host/capture/rgb_to_yuv.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <wayland-client.h>

#include "base/clock.h"
#include "host/wayland/wl_connection.h"
#include "wlr-screencopy-wire-client-protocol.h"

namespace pf::host {

namespace {

// wl_shm formats (DRM fourcc codes, except the first two).
constexpr uint32_t kArgb8888 = 0, kXrgb8888 = 1;
constexpr uint32_t kAbgr8888 = 0x34324241, kXbgr8888 = 0x34324258;

struct FrameState {
  bool buffer = false, ready = false, failed = false;
  uint32_t format = 0, width = 0, height = 0, stride = 0, flags = 0;
  int64_t presented_ns = 0;  // when the compositor showed the copied frame (CLOCK_MONOTONIC)
};

void on_buffer(void* d, zwlr_screencopy_frame_v1*, uint32_t f, uint32_t w, uint32_t h, uint32_t s) {
  auto* st = static_cast<FrameState*>(d);
  st->buffer = true;
  st->format = f;
  st->width = w;
  st->height = h;
  st->stride = s;
}
void on_flags(void* d, zwlr_screencopy_frame_v1*, uint32_t flags) {
  static_cast<FrameState*>(d)->flags = flags;
}
void on_ready(void* d, zwlr_screencopy_frame_v1*, uint32_t sec_hi, uint32_t sec_lo, uint32_t nsec) {
  auto* st = static_cast<FrameState*>(d);
  st->ready = true;
  const uint64_t sec = (static_cast<uint64_t>(sec_hi) << 32) | sec_lo;
  if (sec < (1ull << 32) && nsec < 1'000'000'000u)
    st->presented_ns = static_cast<int64_t>(sec) * 1'000'000'000 + nsec;
}
void on_failed(void* d, zwlr_screencopy_frame_v1*) {
  static_cast<FrameState*>(d)->failed = true;
}
const zwlr_screencopy_frame_v1_listener kFrameListener = {.buffer = on_buffer,
                                                          .flags = on_flags,
                                                          .ready = on_ready,
                                                          .failed = on_failed};

}  // namespace

struct WlrScreencopyCapture::Impl {
  std::unique_ptr<wayland::Connection> conn;
  zwlr_screencopy_manager_v1* manager = nullptr;
  wl_shm* shm = nullptr;
  wl_output* output = nullptr;
  std::string output_name;
  std::chrono::milliseconds timeout{2000};
  // The buffer the compositor copies into, reused while the size holds.
  int fd = -1;
  uint8_t* map = nullptr;
  size_t size = 0;
  wl_shm_pool* pool = nullptr;
  wl_buffer* buffer = nullptr;
  uint32_t format = 0, width = 0, height = 0, stride = 0;
  FrameState last;

  ~Impl() {
    drop_buffer();
    if (manager)
      zwlr_screencopy_manager_v1_destroy(manager);
    if (shm)
      wl_shm_destroy(shm);
  }

  void drop_buffer() {
    if (buffer)
      wl_buffer_destroy(buffer);
    if (pool)
      wl_shm_pool_destroy(pool);
    if (map)
      ::munmap(map, size);
    if (fd >= 0)
      ::close(fd);
    buffer = nullptr;
    pool = nullptr;
    map = nullptr;
    fd = -1;
    size = 0;
  }

  Status make_buffer(const FrameState& f) {
    if (f.format != kArgb8888 && f.format != kXrgb8888 && f.format != kAbgr8888 &&
        f.format != kXbgr8888)
      return Status(StatusCode::kUnimplemented,
                    fmt::format("output {} offers pixel format {:#x}, not a 32-bit RGB one",
                                output_name, f.format));
    if (f.width == 0 || f.height == 0 || f.width > 16384 || f.height > 16384 ||
        f.stride < f.width * 4 || f.stride > f.width * 4 + 4096)
      return Status(StatusCode::kDataLoss,
                    fmt::format("output {} offers a {}x{} buffer (stride {})", output_name, f.width,
                                f.height, f.stride));
    drop_buffer();
    size = static_cast<size_t>(f.stride) * f.height;
    fd = ::memfd_create("pf-screencopy", MFD_CLOEXEC);
    if (fd < 0 || ::ftruncate(fd, static_cast<off_t>(size)) != 0)
      return Status(StatusCode::kResourceExhausted,
                    std::string("screencopy buffer: ") + std::strerror(errno));
    void* m = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED)
      return Status(StatusCode::kResourceExhausted,
                    std::string("screencopy buffer: mmap: ") + std::strerror(errno));
    map = static_cast<uint8_t*>(m);
    pool = wl_shm_create_pool(shm, fd, static_cast<int32_t>(size));
    buffer = wl_shm_pool_create_buffer(pool, 0, static_cast<int32_t>(f.width),
                                       static_cast<int32_t>(f.height),
                                       static_cast<int32_t>(f.stride), f.format);
    format = f.format;
    width = f.width;
    height = f.height;
    stride = f.stride;
    return Status::ok();
  }

  // One frame of the output into the buffer (made or remade to its size).
  Status grab() {
    FrameState st;
    auto* frame = zwlr_screencopy_manager_v1_capture_output(manager, /*overlay_cursor=*/1, output);
    zwlr_screencopy_frame_v1_add_listener(frame, &kFrameListener, &st);
    Status s = conn->dispatch_until([&] { return st.buffer || st.failed; }, timeout);
    if (s.is_ok() && !st.failed &&
        (!buffer || st.format != format || st.width != width || st.height != height ||
         st.stride != stride))
      s = make_buffer(st);
    if (s.is_ok() && !st.failed) {
      zwlr_screencopy_frame_v1_copy(frame, buffer);
      s = conn->dispatch_until([&] { return st.ready || st.failed; }, timeout);
    }
    zwlr_screencopy_frame_v1_destroy(frame);
    (void)conn->flush();
    if (s.is_ok() && st.failed)
      s = Status(
          StatusCode::kUnavailable,
          fmt::format("the compositor could not copy output {} (gone or disabled?)", output_name));
    if (!s.is_ok())
      return Status(s.code(), fmt::format("screencopy of {}: {}", output_name, s.message()));
    last = st;
    return Status::ok();
  }
};

Result<std::unique_ptr<WlrScreencopyCapture>> WlrScreencopyCapture::open(
    const std::string& socket,
    const std::string& output,
    std::chrono::milliseconds timeout) {
  auto conn = wayland::Connection::connect(socket, timeout);
  if (!conn)
    return tl::unexpected(conn.error());
  auto impl = std::make_unique<Impl>();
  impl->conn = std::move(*conn);
  impl->output_name = output;
  impl->timeout = timeout;
  impl->manager = static_cast<zwlr_screencopy_manager_v1*>(
      impl->conn->bind(&zwlr_screencopy_manager_v1_interface, 1));
  if (!impl->manager)
    return make_error(StatusCode::kUnimplemented,
                      "the compositor offers no wlr-screencopy (sway and other wlroots "
                      "compositors do)");
  impl->shm = static_cast<wl_shm*>(impl->conn->bind(&wl_shm_interface, 1));
  if (!impl->shm)
    return make_error(StatusCode::kUnimplemented, "the compositor offers no wl_shm");
  impl->output = impl->conn->output(output);
  if (!impl->output) {
    std::string names;
    for (const auto& n : impl->conn->output_names())
      names += (names.empty() ? "" : ", ") + n;
    return make_error(StatusCode::kNotFound,
                      fmt::format("the compositor has no output '{}' (it has: {})", output,
                                  names.empty() ? "none" : names));
  }
  if (auto st = impl->grab(); !st.is_ok())
    return tl::unexpected(st);
  return std::unique_ptr<WlrScreencopyCapture>(new WlrScreencopyCapture(std::move(impl)));
}

WlrScreencopyCapture::WlrScreencopyCapture(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WlrScreencopyCapture::~WlrScreencopyCapture() = default;

int WlrScreencopyCapture::width() const {
  return static_cast<int>(impl_->width);
}
int WlrScreencopyCapture::height() const {
  return static_cast<int>(impl_->height);
}

std::string WlrScreencopyCapture::describe() const {
  return fmt::format("Wayland output {} (wlr-screencopy, shared memory)", impl_->output_name);
}

Status WlrScreencopyCapture::capture(uint32_t index, int64_t capture_time_ns, YuvFrame& out) {
  const uint32_t w = impl_->width, h = impl_->height;
  if (auto st = impl_->grab(); !st.is_ok())
    return st;
  if (impl_->width != w || impl_->height != h)
    return Status(StatusCode::kFailedPrecondition,
                  fmt::format("output {} changed from {}x{} to {}x{}", impl_->output_name, w, h,
                              impl_->width, impl_->height));
  out.allocate(static_cast<int>(w), static_cast<int>(h));
  out.index = index;
  // The copy waits for the output's next frame (up to one refresh): the
  // picture is as old as that frame, which the compositor stamps on the
  // monotonic clock. Used when it is plausible (after the request, not in
  // the future); else the request time.
  const int64_t presented = impl_->last.presented_ns;
  const int64_t now = SteadyClock::instance().now_ns();
  out.capture_time_ns =
      presented >= capture_time_ns && presented <= now ? presented : capture_time_ns;
  const uint8_t* src = impl_->map;
  int stride = static_cast<int>(impl_->stride);
  if (impl_->last.flags & ZWLR_SCREENCOPY_FRAME_V1_FLAGS_Y_INVERT) {
    src += static_cast<size_t>(h - 1) * impl_->stride;
    stride = -stride;
  }
  // B,G,R,x in memory is wl_shm's [AX]RGB8888 (little endian); R,G,B,x its [AX]BGR8888.
  const bool bgr = impl_->format == kArgb8888 || impl_->format == kXrgb8888;
  return rgbx_to_yuv(src, stride, bgr ? RgbxOrder::kBgrx : RgbxOrder::kRgbx, out);
}

}  // namespace pf::host
