// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/present/stats_overlay.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>

#include <fmt/format.h>

namespace pf::client {

Result<std::unique_ptr<StatsOverlay>> StatsOverlay::open(const std::string& font_path,
                                                         int point_size) {
  if (!TTF_WasInit() && TTF_Init() != 0)
    return make_error(StatusCode::kUnavailable, fmt::format("SDL_ttf: {}", TTF_GetError()));
  std::unique_ptr<StatsOverlay> o(new StatsOverlay());
  o->font_ = TTF_OpenFont(font_path.c_str(), point_size);
  if (!o->font_)
    return make_error(StatusCode::kUnavailable,
                      fmt::format("no stats overlay: the font {} cannot be opened ({}); install "
                                  "fonts-dejavu-core",
                                  font_path, TTF_GetError()));
  return o;
}

StatsOverlay::~StatsOverlay() {
  if (texture_)
    SDL_DestroyTexture(texture_);
  if (font_)
    TTF_CloseFont(font_);
}

void StatsOverlay::set_text(std::string text) {
  std::lock_guard lock(mu_);
  text_ = std::move(text);
}

void StatsOverlay::draw(SDL_Renderer* renderer) {
  std::string text;
  {
    std::lock_guard lock(mu_);
    text = text_;
  }
  if (text.empty())
    return;
  if (text != drawn_text_ || renderer != texture_owner_ || !texture_) {
    if (texture_)
      SDL_DestroyTexture(texture_);
    texture_ = nullptr;
    SDL_Surface* s = TTF_RenderUTF8_Blended(font_, text.c_str(), SDL_Color{255, 255, 255, 255});
    if (!s)
      return;
    texture_ = SDL_CreateTextureFromSurface(renderer, s);
    tex_w_ = s->w;
    tex_h_ = s->h;
    SDL_FreeSurface(s);
    if (!texture_)
      return;
    drawn_text_ = text;
    texture_owner_ = renderer;
  }
  const SDL_Rect box{4, 4, tex_w_ + 12, tex_h_ + 8};
  SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_BLEND);
  SDL_SetRenderDrawColor(renderer, 0, 0, 0, 170);
  SDL_RenderFillRect(renderer, &box);
  const SDL_Rect at{10, 8, tex_w_, tex_h_};
  SDL_RenderCopy(renderer, texture_, nullptr, &at);
}

}  // namespace pf::client
