// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/present/sdl_window.h"

#include <SDL2/SDL.h>
#include <libyuv/convert_argb.h>
#include <linux/input-event-codes.h>

#include <algorithm>
#include <cstring>

#include "base/log.h"
#include "client/input/sdl_keymap.h"

namespace pf::client {
namespace {

namespace pn = pf::proto::native;

void copy_plane(std::vector<uint8_t>& dst, const uint8_t* src, int stride, int w, int h) {
  dst.resize(static_cast<size_t>(w) * h);
  for (int row = 0; row < h; ++row)
    std::memcpy(dst.data() + static_cast<size_t>(row) * w, src + static_cast<size_t>(row) * stride,
                static_cast<size_t>(w));
}

uint32_t sdl_button(uint8_t b) {
  switch (b) {
    case SDL_BUTTON_LEFT:
      return BTN_LEFT;
    case SDL_BUTTON_RIGHT:
      return BTN_RIGHT;
    case SDL_BUTTON_MIDDLE:
      return BTN_MIDDLE;
    case SDL_BUTTON_X1:
      return BTN_SIDE;
    case SDL_BUTTON_X2:
      return BTN_EXTRA;
    default:
      return 0;
  }
}

}  // namespace

Result<std::unique_ptr<SdlWindow>> SdlWindow::open(const std::string& title,
                                                   int width,
                                                   int height,
                                                   bool fullscreen,
                                                   bool capture_pointer,
                                                   bool show_stats,
                                                   bool vsync) {
  if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0)
    return make_error(StatusCode::kUnavailable,
                      std::string("no window: SDL video: ") + SDL_GetError() +
                          " (is DISPLAY or WAYLAND_DISPLAY set? --headless needs none)");
  std::unique_ptr<SdlWindow> w(new SdlWindow());
  w->window_ =
      SDL_CreateWindow(title.c_str(), SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, width, height,
                       SDL_WINDOW_RESIZABLE | (fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0));
  if (!w->window_)
    return make_error(StatusCode::kUnavailable, std::string("SDL window: ") + SDL_GetError());
  // Vsync off unless asked for: a frame is shown as soon as it is decoded.
  w->renderer_ = SDL_CreateRenderer(w->window_, -1, vsync ? SDL_RENDERER_PRESENTVSYNC : 0);
  if (!w->renderer_)
    return make_error(StatusCode::kUnavailable, std::string("SDL renderer: ") + SDL_GetError());
  SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");
  // Controllers keep sending while another window has the focus (a game pad
  // on the couch while the mouse rests elsewhere).
  SDL_SetHint(SDL_HINT_JOYSTICK_ALLOW_BACKGROUND_EVENTS, "1");
  // Touch goes to the host as touch, not also as SDL's made-up mouse clicks.
  SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
  if (auto pads = SdlGamepads::open())
    w->gamepads_ = std::move(*pads);
  else
    log_warn("{}; game controllers are not sent", pads.error().message());
  w->pointer_ = std::make_unique<PointerMode>(capture_pointer);
  w->show_stats_ = show_stats;
  if (auto o = StatsOverlay::open())
    w->overlay_ = std::move(*o);
  else
    log_warn("{}", o.error().message());
  return w;
}

void SdlWindow::set_stats(std::string text) {
  if (overlay_)
    overlay_->set_text(std::move(text));
}

void SdlWindow::apply_capture() {
  const bool on = pointer_->captured();
  if (SDL_SetRelativeMouseMode(on ? SDL_TRUE : SDL_FALSE) != 0)
    log_warn("pointer capture: {}", SDL_GetError());
  SDL_SetWindowTitle(window_,
                     on ? "punktfunk — pointer captured (Ctrl+Alt+Shift+Z releases)" : "punktfunk");
}

SdlWindow::~SdlWindow() {
  gamepads_.reset();
  if (system_cursor_)
    SDL_FreeCursor(system_cursor_);
  if (cursor_tex_)
    SDL_DestroyTexture(cursor_tex_);
  if (texture_)
    SDL_DestroyTexture(texture_);
  if (renderer_)
    SDL_DestroyRenderer(renderer_);
  if (window_)
    SDL_DestroyWindow(window_);
  SDL_QuitSubSystem(SDL_INIT_VIDEO);
}

void SdlWindow::submit(const DecodedPicture& p) {
  if (!p.luma || !p.u || !p.v)
    return;
  std::lock_guard lock(mu_);
  pic_w_ = p.width;
  pic_h_ = p.height;
  pic_rgb_ = p.full_u && p.full_v;
  pending_ = true;  // replaces a picture not yet shown
  if (pic_rgb_) {
    bgra_.resize(static_cast<size_t>(p.width) * p.height * 4);
    libyuv::I444ToARGB(p.luma, p.luma_stride, p.full_u, p.full_u_stride, p.full_v, p.full_v_stride,
                       bgra_.data(), p.width * 4, p.width, p.height);
    return;
  }
  copy_plane(y_, p.luma, p.luma_stride, p.width, p.height);
  copy_plane(u_, p.u, p.u_stride, (p.width + 1) / 2, (p.height + 1) / 2);
  copy_plane(v_, p.v, p.v_stride, (p.width + 1) / 2, (p.height + 1) / 2);
}

void SdlWindow::present_pending() {
  std::lock_guard lock(mu_);
  if (!pending_)
    return;
  pending_ = false;
  if (!texture_ || tex_w_ != pic_w_ || tex_h_ != pic_h_ || tex_rgb_ != pic_rgb_) {
    if (texture_)
      SDL_DestroyTexture(texture_);
    // libyuv's "ARGB" is B, G, R, A in memory: SDL's ARGB8888 on a little-endian machine.
    texture_ =
        SDL_CreateTexture(renderer_, pic_rgb_ ? SDL_PIXELFORMAT_ARGB8888 : SDL_PIXELFORMAT_IYUV,
                          SDL_TEXTUREACCESS_STREAMING, pic_w_, pic_h_);
    tex_w_ = pic_w_;
    tex_h_ = pic_h_;
    tex_rgb_ = pic_rgb_;
    if (!texture_)
      return;
  }
  if (pic_rgb_)
    SDL_UpdateTexture(texture_, nullptr, bgra_.data(), pic_w_ * 4);
  else
    SDL_UpdateYUVTexture(texture_, nullptr, y_.data(), pic_w_, u_.data(), (pic_w_ + 1) / 2,
                         v_.data(), (pic_w_ + 1) / 2);
  SDL_RenderClear(renderer_);
  SDL_RenderCopy(renderer_, texture_, nullptr, nullptr);
  render_cursor();
  if (overlay_ && show_stats_)
    overlay_->draw(renderer_);
  SDL_RenderPresent(renderer_);
  ++presented_;
}

void SdlWindow::render_cursor() {
  // With the pointer free the desktop draws the host's shape (the system
  // pointer); captured (relative motion, no system pointer), it is drawn
  // here, where the host has it.
  if (!cursor_ || (system_cursor_ && !pointer_->captured()))
    return;
  const auto c = cursor_->snapshot();
  if (!c.visible || !c.shape)
    return;
  const auto& shape = *c.shape;
  if (!cursor_tex_ || cursor_serial_ != shape.serial) {
    if (cursor_tex_)
      SDL_DestroyTexture(cursor_tex_);
    // R, G, B, A bytes in memory: SDL's ABGR8888 on a little-endian machine.
    cursor_tex_ = SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_ABGR8888, SDL_TEXTUREACCESS_STATIC,
                                    shape.width, shape.height);
    if (!cursor_tex_)
      return;
    SDL_UpdateTexture(cursor_tex_, nullptr, shape.rgba.data(), shape.width * 4);
    SDL_SetTextureBlendMode(cursor_tex_, SDL_BLENDMODE_BLEND);
    cursor_serial_ = shape.serial;
  }
  int out_w = 0, out_h = 0;
  SDL_GetRendererOutputSize(renderer_, &out_w, &out_h);
  const double sx = pic_w_ > 0 ? static_cast<double>(out_w) / pic_w_ : 1.0;
  const double sy = pic_h_ > 0 ? static_cast<double>(out_h) / pic_h_ : 1.0;
  const SDL_Rect dst{static_cast<int>((c.x - shape.hotspot_x) * sx),
                     static_cast<int>((c.y - shape.hotspot_y) * sy),
                     static_cast<int>(shape.width * sx), static_cast<int>(shape.height * sy)};
  SDL_RenderCopy(renderer_, cursor_tex_, nullptr, &dst);
}

void SdlWindow::update_system_cursor() {
  if (!cursor_)
    return;
  const auto c = cursor_->snapshot();
  if (c.shape && c.shape->serial != system_cursor_serial_) {
    // The host's shape as the system pointer: the desktop draws it at the
    // local pointer, at the display's own rate, with no round trip.
    const auto& shape = *c.shape;
    SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormatFrom(
        const_cast<uint8_t*>(shape.rgba.data()), shape.width, shape.height, 32, shape.width * 4,
        SDL_PIXELFORMAT_ABGR8888);  // R, G, B, A bytes in memory
    SDL_Cursor* made =
        surface ? SDL_CreateColorCursor(surface, shape.hotspot_x, shape.hotspot_y) : nullptr;
    if (surface)
      SDL_FreeSurface(surface);
    if (made) {
      SDL_SetCursor(made);
      if (system_cursor_)
        SDL_FreeCursor(system_cursor_);
      system_cursor_ = made;
    } else {
      log_warn("the host's pointer as the system pointer: {}", SDL_GetError());
    }
    system_cursor_serial_ = shape.serial;
  }
  // Hidden on the host (a game's own pointer, or none): hidden here too.
  const int show = c.visible || !c.shape ? SDL_ENABLE : SDL_DISABLE;
  if (SDL_ShowCursor(SDL_QUERY) != show)
    SDL_ShowCursor(show);
}

bool SdlWindow::pump(int wait_ms, const std::function<void(const pn::InputDatagram&)>& input) {
  update_system_cursor();
  SDL_Event e;
  bool first = true;
  while (first ? SDL_WaitEventTimeout(&e, wait_ms) : SDL_PollEvent(&e)) {
    first = false;
    switch (e.type) {
      case SDL_QUIT:
        return false;
      case SDL_KEYDOWN:
      case SDL_KEYUP: {
        const SDL_Keymod mods = SDL_GetModState();
        const bool chord = (mods & KMOD_CTRL) && (mods & KMOD_ALT) && (mods & KMOD_SHIFT);
        if (e.type == SDL_KEYDOWN && chord && e.key.keysym.scancode == SDL_SCANCODE_Q)
          return false;
        if (e.type == SDL_KEYDOWN && chord && e.key.keysym.scancode == SDL_SCANCODE_S) {
          if (!e.key.repeat)
            show_stats_ = !show_stats_;
          break;
        }
        if (e.type == SDL_KEYDOWN && chord && e.key.keysym.scancode == SDL_SCANCODE_Z) {
          if (!e.key.repeat && pointer_->toggle())
            apply_capture();
          break;
        }
        if (e.key.repeat)
          break;  // the host repeats held keys itself
        if (const uint32_t code = sdl_scancode_to_evdev(e.key.keysym.scancode))
          input(pn::InputDatagram{static_cast<uint8_t>(e.type == SDL_KEYDOWN ? 1 : 2), code, 0, 0,
                                  0});
        break;
      }
      case SDL_MOUSEMOTION: {
        int w = 1, h = 1;
        SDL_GetWindowSize(window_, &w, &h);
        input(pointer_->motion(e.motion.x, e.motion.y, e.motion.xrel, e.motion.yrel, w, h));
        break;
      }
      case SDL_MOUSEBUTTONDOWN:
      case SDL_MOUSEBUTTONUP: {
        bool forward = true;
        if (e.type == SDL_MOUSEBUTTONDOWN && pointer_->click(&forward))
          apply_capture();
        if (!forward) {
          swallowed_ = e.button.button;  // its release is not sent either
          break;
        }
        if (e.type == SDL_MOUSEBUTTONUP && swallowed_ == e.button.button) {
          swallowed_ = 0;
          break;
        }
        if (const uint32_t b = sdl_button(e.button.button))
          input(pn::InputDatagram{static_cast<uint8_t>(e.type == SDL_MOUSEBUTTONDOWN ? 5 : 6), b, 0,
                                  0, 0});
        break;
      }
      case SDL_FINGERDOWN:
      case SDL_FINGERMOTION:
      case SDL_FINGERUP: {
        const auto phase = e.type == SDL_FINGERDOWN     ? TouchMap::Phase::kDown
                           : e.type == SDL_FINGERMOTION ? TouchMap::Phase::kMove
                                                        : TouchMap::Phase::kUp;
        if (auto d = touch_.on(phase, e.tfinger.fingerId, e.tfinger.x, e.tfinger.y))
          input(*d);
        break;
      }
      case SDL_WINDOWEVENT:
        if (e.window.event == SDL_WINDOWEVENT_FOCUS_LOST && pointer_->focus_lost())
          apply_capture();
        break;
      case SDL_MOUSEWHEEL:
        if (e.wheel.y)
          input(pn::InputDatagram{7, 0, 0, e.wheel.y * 120, 0});
        if (e.wheel.x)
          input(pn::InputDatagram{8, 0, e.wheel.x * 120, 0, 0});
        break;
      default:
        if (gamepads_)
          gamepads_->handle(e, input);
        break;
    }
  }
  if (gamepads_)
    rumbles_ += gamepads_->play_queued();
  present_pending();
  return true;
}

void SdlWindow::queue_rumble(const pn::RumbleDatagram& r) {
  if (gamepads_)
    gamepads_->queue_rumble(r);
}

}  // namespace pf::client
