// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "base/status.h"

struct SDL_Renderer;
struct SDL_Texture;
typedef struct _TTF_Font TTF_Font;

// The window's statistics overlay: a line of text (resolution, fps, bitrate,
// loss, FEC, latency, decode time) in the top-left corner on a translucent
// box, drawn with SDL_ttf in DejaVu Sans Mono (Debian's fonts-dejavu-core).
// Thread model: set_text() from any thread; draw() on the renderer's thread.
namespace pf::client {

class StatsOverlay {
 public:
  static constexpr const char* kDefaultFont = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";
  // kUnavailable (with the path) when the font or SDL_ttf cannot be used.
  static Result<std::unique_ptr<StatsOverlay>> open(const std::string& font_path = kDefaultFont,
                                                    int point_size = 15);
  ~StatsOverlay();

  void set_text(std::string text);
  // Draws the current text (nothing while it is empty).
  void draw(SDL_Renderer* renderer);

 private:
  StatsOverlay() = default;
  TTF_Font* font_ = nullptr;
  std::mutex mu_;
  std::string text_, drawn_text_;
  SDL_Renderer* texture_owner_ = nullptr;
  SDL_Texture* texture_ = nullptr;
  int tex_w_ = 0, tex_h_ = 0;
};

}  // namespace pf::client
