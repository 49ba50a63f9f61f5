// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/capture/x11_capture.h"
#include "host/capture/rgb_to_yuv.h"
#include "host/capture/x_display.h"

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XShm.h>
#include <X11/extensions/Xfixes.h>
#include <sys/ipc.h>
#include <sys/shm.h>
// Xlib defines Status as a macro; punktfunk's pf::Status is meant below.
#undef Status

#include <algorithm>

#include <libyuv/convert_argb.h>
#include <libyuv/convert_from_argb.h>

#include <fmt/format.h>

namespace pf::host {

struct X11Capture::Impl {
  Display* dpy = nullptr;
  std::string name;
  Window root = 0;
  int width = 0, height = 0;
  XImage* image = nullptr;
  XShmSegmentInfo shm{};
  bool xfixes = false;
  bool cursor = false;    // blend the pointer into the picture
  bool separate = false;  // report the pointer in each frame instead
  std::shared_ptr<const CursorImage> cursor_image;
  bool cursor_blank = true;  // the image has no opaque pixel (a hidden pointer)
  void report_cursor(const XFixesCursorImage& c, FrameCursor& out);
  ~Impl() {
    if (image) {
      if (!x_display_lost(dpy))
        XShmDetach(dpy, &shm);
      XDestroyImage(image);  // client memory only
      shmdt(shm.shmaddr);
    }
    if (dpy)
      close_x_display(dpy);
  }
};

X11Capture::X11Capture(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
X11Capture::~X11Capture() = default;

int X11Capture::width() const {
  return impl_->width;
}
int X11Capture::height() const {
  return impl_->height;
}
std::string X11Capture::describe() const {
  return fmt::format("X11 {} (XShm)", impl_->name);
}

bool X11Capture::draws_cursor() const {
  return impl_->cursor;
}

bool X11Capture::separate_cursor() {
  if (!impl_->xfixes)
    return false;
  impl_->cursor = false;
  impl_->separate = true;
  return true;
}

namespace {

// Blends the cursor (XFIXES: premultiplied ARGB, one pixel per unsigned long)
// into a 32-bit BGRx image at the pointer, clipped to the image.
void blend_cursor(const XFixesCursorImage& c, uint8_t* image, int stride, int width, int height) {
  const int x0 = c.x - c.xhot, y0 = c.y - c.yhot;
  for (int row = std::max(0, -y0); row < c.height && y0 + row < height; ++row) {
    uint8_t* dst = image + static_cast<size_t>(y0 + row) * stride;
    const unsigned long* src = c.pixels + static_cast<size_t>(row) * c.width;
    for (int col = std::max(0, -x0); col < c.width && x0 + col < width; ++col) {
      const auto p = static_cast<uint32_t>(src[col]);
      const uint32_t a = p >> 24;
      if (a == 0)
        continue;
      uint8_t* px = dst + static_cast<size_t>(x0 + col) * 4;
      const uint32_t keep = 255 - a;
      px[0] = static_cast<uint8_t>((p & 0xFF) + (px[0] * keep + 127) / 255);
      px[1] = static_cast<uint8_t>(((p >> 8) & 0xFF) + (px[1] * keep + 127) / 255);
      px[2] = static_cast<uint8_t>(((p >> 16) & 0xFF) + (px[2] * keep + 127) / 255);
    }
  }
}

// XFIXES' image (premultiplied ARGB, one pixel per unsigned long) as straight
// RGBA, scaled down (nearest pixel) to fit the cursor channel's 256x256.
std::shared_ptr<const CursorImage> make_cursor_image(const XFixesCursorImage& c, bool& blank) {
  constexpr int kMax = 256;
  const int side = std::max<int>(c.width, c.height);
  const double scale = side > kMax ? static_cast<double>(kMax) / side : 1.0;
  auto img = std::make_shared<CursorImage>();
  img->serial = static_cast<uint32_t>(c.cursor_serial);
  blank = true;
  if (c.width == 0 || c.height == 0 || !c.pixels) {  // no image: a transparent pixel
    img->width = img->height = 1;
    img->rgba.assign(4, 0);
    return img;
  }
  img->width = std::max(1, static_cast<int>(c.width * scale));
  img->height = std::max(1, static_cast<int>(c.height * scale));
  img->hotspot_x = std::min(img->width - 1, static_cast<int>(c.xhot * scale));
  img->hotspot_y = std::min(img->height - 1, static_cast<int>(c.yhot * scale));
  img->rgba.resize(static_cast<size_t>(img->width) * img->height * 4);
  for (int y = 0; y < img->height; ++y)
    for (int x = 0; x < img->width; ++x) {
      const int sx = std::min<int>(c.width - 1, static_cast<int>(x / scale));
      const int sy = std::min<int>(c.height - 1, static_cast<int>(y / scale));
      const auto p = static_cast<uint32_t>(c.pixels[static_cast<size_t>(sy) * c.width + sx]);
      const uint32_t a = p >> 24;
      uint8_t* o = &img->rgba[(static_cast<size_t>(y) * img->width + x) * 4];
      auto straight = [a](uint32_t v) { return static_cast<uint8_t>(std::min(255u, v * 255 / a)); };
      o[0] = a ? straight((p >> 16) & 0xFF) : 0;
      o[1] = a ? straight((p >> 8) & 0xFF) : 0;
      o[2] = a ? straight(p & 0xFF) : 0;
      o[3] = static_cast<uint8_t>(a);
      blank = blank && a == 0;
    }
  return img;
}

}  // namespace

void X11Capture::Impl::report_cursor(const XFixesCursorImage& c, FrameCursor& out) {
  if (!cursor_image || cursor_image->serial != static_cast<uint32_t>(c.cursor_serial))
    cursor_image = make_cursor_image(c, cursor_blank);
  out.present = true;
  out.visible = !cursor_blank;
  out.x = c.x;
  out.y = c.y;
  out.image = cursor_image;
}

Result<std::unique_ptr<X11Capture>> X11Capture::open(const std::string& display, bool draw_cursor) {
  auto impl = std::make_unique<Impl>();
  impl->name = display;
  impl->dpy = open_x_display(display);
  if (!impl->dpy)
    return make_error(StatusCode::kUnavailable, fmt::format("cannot open X display {}", display));
  if (!XShmQueryExtension(impl->dpy))
    return make_error(StatusCode::kUnavailable,
                      fmt::format("X display {} has no MIT-SHM extension", display));
  int xfixes_event = 0, xfixes_error = 0;
  impl->xfixes = XFixesQueryExtension(impl->dpy, &xfixes_event, &xfixes_error);
  impl->cursor = draw_cursor && impl->xfixes;
  const int screen = DefaultScreen(impl->dpy);
  impl->root = RootWindow(impl->dpy, screen);
  impl->width = DisplayWidth(impl->dpy, screen);
  impl->height = DisplayHeight(impl->dpy, screen);
  Visual* visual = DefaultVisual(impl->dpy, screen);
  const int depth = DefaultDepth(impl->dpy, screen);
  if (depth != 24 && depth != 32)
    return make_error(
        StatusCode::kUnimplemented,
        fmt::format("X display {} has depth {}; 24 or 32 is supported", display, depth));
  impl->image =
      XShmCreateImage(impl->dpy, visual, static_cast<unsigned>(depth), ZPixmap, nullptr, &impl->shm,
                      static_cast<unsigned>(impl->width), static_cast<unsigned>(impl->height));
  if (!impl->image)
    return make_error(StatusCode::kUnavailable, "XShmCreateImage failed");
  impl->shm.shmid =
      shmget(IPC_PRIVATE, static_cast<size_t>(impl->image->bytes_per_line) * impl->image->height,
             IPC_CREAT | 0600);
  if (impl->shm.shmid < 0) {
    XDestroyImage(impl->image);
    impl->image = nullptr;
    return make_error(StatusCode::kResourceExhausted, "shmget failed");
  }
  impl->shm.shmaddr = impl->image->data = static_cast<char*>(shmat(impl->shm.shmid, nullptr, 0));
  impl->shm.readOnly = False;
  XShmAttach(impl->dpy, &impl->shm);
  XSync(impl->dpy, False);
  shmctl(impl->shm.shmid, IPC_RMID, nullptr);  // freed when both sides detach
  if (impl->image->bits_per_pixel != 32)
    return make_error(StatusCode::kUnimplemented, "only 32-bit pixels are supported");
  return std::unique_ptr<X11Capture>(new X11Capture(std::move(impl)));
}

Status X11Capture::capture(uint32_t index, int64_t capture_time_ns, YuvFrame& out) {
  Impl& d = *impl_;
  if (x_display_lost(d.dpy) || !XShmGetImage(d.dpy, d.root, d.image, 0, 0, AllPlanes))
    return Status(StatusCode::kUnavailable,
                  x_display_lost(d.dpy)
                      ? fmt::format("the X server of display {} is gone", d.name)
                      : fmt::format("XShmGetImage failed on {} (resized?)", d.name));
  out.cursor = {};
  if (d.cursor || d.separate) {
    if (XFixesCursorImage* c = XFixesGetCursorImage(d.dpy)) {
      if (d.cursor)
        blend_cursor(*c, reinterpret_cast<uint8_t*>(d.image->data), d.image->bytes_per_line,
                     d.width, d.height);
      else
        d.report_cursor(*c, out.cursor);
      XFree(c);
    }
  }
  out.allocate(d.width, d.height);
  out.index = index;
  out.capture_time_ns = capture_time_ns;
  // X's 32-bit little-endian pixels are B, G, R, x in memory.
  return rgbx_to_yuv(reinterpret_cast<const uint8_t*>(d.image->data), d.image->bytes_per_line,
                     RgbxOrder::kBgrx, out);
}

Status X11Capture::draw(const YuvFrame& frame) {
  Impl& d = *impl_;
  if (x_display_lost(d.dpy))
    return Status(StatusCode::kUnavailable,
                  fmt::format("the X server of display {} is gone", d.name));
  if (frame.width != d.width || frame.height != d.height)
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("frame {}x{} does not match the display {}x{}", frame.width,
                              frame.height, d.width, d.height));
  if (frame.bit_depth != 8)
    return Status(StatusCode::kInvalidArgument, "an X display shows 8-bit frames only");
  auto* pixels = reinterpret_cast<uint8_t*>(d.image->data);
  const int cw = frame.chroma_width();
  if (frame.full_chroma())
    libyuv::I444ToARGB(frame.y.data(), frame.width, frame.u.data(), cw, frame.v.data(), cw, pixels,
                       d.image->bytes_per_line, d.width, d.height);
  else
    libyuv::I420ToARGB(frame.y.data(), frame.width, frame.u.data(), cw, frame.v.data(), cw, pixels,
                       d.image->bytes_per_line, d.width, d.height);
  GC gc = DefaultGC(d.dpy, DefaultScreen(d.dpy));
  XShmPutImage(d.dpy, d.root, gc, d.image, 0, 0, 0, 0, static_cast<unsigned>(d.width),
               static_cast<unsigned>(d.height), False);
  XSync(d.dpy, False);
  return Status::ok();
}

}  // namespace pf::host
