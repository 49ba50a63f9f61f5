// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/status.h"
#include "client/app/cursor_state.h"
#include "client/decode/decoder.h"
#include "client/input/pointer_mode.h"
#include "client/input/sdl_gamepads.h"
#include "client/input/touch_map.h"
#include "client/present/stats_overlay.h"
#include "proto/native/datagrams.h"

struct SDL_Window;
struct SDL_Renderer;
struct SDL_Texture;
struct SDL_Cursor;

// The reference client's window (SDL2): shows the newest decoded picture
// (older ones a slow display did not get to are dropped, never queued), vsync
// off by default (a frame shows as soon as it is decoded; `vsync` paces
// presentation to the display's refresh instead, without tearing), and turns keyboard, mouse, wheel
// and game controllers into punktfunk/1 input (evdev key codes, absolute pointer over the picture,
// buttons, 1/120 notches, gamepads through SdlGamepads); the pointer free or captured (PointerMode:
// relative motion while captured, Ctrl+Alt+Shift+Z toggles). Ctrl+Alt+Shift+S shows or hides the
// statistics overlay (StatsOverlay). Ctrl+Alt+Shift+Q or closing the window ends the session.
//
// Thread model: SDL wants its video calls on one thread: open(), pump() and
// the destructor on the main thread; submit() from the decoding thread.
namespace pf::client {

class SdlWindow {
 public:
  // capture_pointer: a click captures the pointer (relative motion for
  // games); Ctrl+Alt+Shift+Z toggles the capture either way.
  static Result<std::unique_ptr<SdlWindow>> open(const std::string& title,
                                                 int width,
                                                 int height,
                                                 bool fullscreen,
                                                 bool capture_pointer = false,
                                                 bool show_stats = false,
                                                 bool vsync = false);
  // The overlay's line (any thread); shown while the user has it on
  // (Ctrl+Alt+Shift+S toggles; `show_stats` is the start).
  void set_stats(std::string text);
  ~SdlWindow();

  // Copies the picture for the next pump() (any thread).
  void submit(const DecodedPicture& picture);
  // Handles window events for up to wait_ms, presenting the newest picture.
  // `input` receives the user's input. False once the user quit.
  bool pump(int wait_ms, const std::function<void(const proto::native::InputDatagram&)>& input);
  uint64_t presented() const { return presented_.load(); }
  // The host's rumble for a pad, played at the next pump() (any thread).
  void queue_rumble(const proto::native::RumbleDatagram& r);
  uint64_t rumbles_played() const { return rumbles_.load(); }
  SdlGamepads* gamepads() const { return gamepads_.get(); }
  // The host's pointer from `cursor` (the cursor channel): its shape becomes
  // the desktop's pointer over the window (drawn at the local pointer, at the
  // display's rate); while the pointer is captured it is drawn over the
  // picture where the host has it, scaled as the picture is. `cursor`
  // outlives the window.
  void draw_cursor(const CursorState* cursor) { cursor_ = cursor; }

 private:
  SdlWindow() = default;
  void present_pending();

  SDL_Window* window_ = nullptr;
  SDL_Renderer* renderer_ = nullptr;
  SDL_Texture* texture_ = nullptr;
  int tex_w_ = 0, tex_h_ = 0;
  bool tex_rgb_ = false;  // the texture is BGRA (4:4:4 pictures) rather than I420
  std::mutex mu_;
  bool pending_ = false;
  int pic_w_ = 0, pic_h_ = 0;
  std::vector<uint8_t> y_, u_, v_;  // the newest picture, tightly packed
  // ... or, of a 4:4:4 stream, as BGRA (SDL has no planar 4:4:4 texture; the
  // conversion keeps every pixel's colour that I420 would average away).
  std::vector<uint8_t> bgra_;
  bool pic_rgb_ = false;
  std::atomic<uint64_t> presented_{0}, rumbles_{0};
  std::unique_ptr<SdlGamepads> gamepads_;  // null if SDL has no controller support
  std::unique_ptr<PointerMode> pointer_;
  uint8_t swallowed_ = 0;  // the button whose press only captured the pointer
  TouchMap touch_;
  std::unique_ptr<StatsOverlay> overlay_;  // null without the font
  bool show_stats_ = false;
  const CursorState* cursor_ = nullptr;
  SDL_Texture* cursor_tex_ = nullptr;
  uint32_t cursor_serial_ = 0;
  SDL_Cursor* system_cursor_ = nullptr;  // the host's shape as the desktop's pointer
  uint32_t system_cursor_serial_ = 0;
  void apply_capture();
  void render_cursor();
  void update_system_cursor();
};

}  // namespace pf::client
