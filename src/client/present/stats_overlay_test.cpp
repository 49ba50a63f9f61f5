// SPDX-License-Identifier: MIT OR Apache-2.0
// The overlay drawn by SDL's software renderer into a surface: text pixels
// appear in the top-left box, the rest of the picture is untouched, and an
// empty text draws nothing.
#include "client/present/stats_overlay.h"

#include <SDL2/SDL.h>

#include <gtest/gtest.h>

namespace pf::client {
namespace {

struct Canvas {
  SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, 640, 120, 32, SDL_PIXELFORMAT_ARGB8888);
  SDL_Renderer* renderer = SDL_CreateSoftwareRenderer(surface);
  ~Canvas() {
    SDL_DestroyRenderer(renderer);
    SDL_FreeSurface(surface);
  }
  void clear() {
    SDL_SetRenderDrawColor(renderer, 0, 0, 128, 255);  // a dark blue "picture"
    SDL_RenderClear(renderer);
  }
  uint32_t at(int x, int y) const {
    return static_cast<const uint32_t*>(surface->pixels)[y * surface->pitch / 4 + x];
  }
  // Pixels in [x0,x1) x [y0,y1) brighter than the background in red.
  int bright(int x0, int y0, int x1, int y1) const {
    int n = 0;
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x)
        n += ((at(x, y) >> 16) & 0xFF) > 128;
    return n;
  }
};

TEST(StatsOverlayTest, DrawsTheTextInTheCornerOnly) {
  auto o = StatsOverlay::open();
  ASSERT_TRUE(o) << o.error().to_string();
  Canvas c;
  ASSERT_NE(c.renderer, nullptr) << SDL_GetError();
  c.clear();
  (*o)->draw(c.renderer);  // no text yet: nothing
  EXPECT_EQ(c.bright(0, 0, 640, 120), 0);
  (*o)->set_text("1280x720 60.0 fps 19.8 Mbit/s loss 0.00 %");
  (*o)->draw(c.renderer);
  EXPECT_GT(c.bright(4, 4, 400, 40), 100);    // glyphs
  EXPECT_EQ(c.bright(0, 60, 640, 120), 0);    // below the box: the picture as it was
  EXPECT_EQ(c.at(630, 100), c.at(630, 110));  // untouched background
  EXPECT_NE(c.at(6, 6), c.at(630, 110));      // the translucent box darkens the corner
}

TEST(StatsOverlayTest, AMissingFontIsAClearError) {
  auto o = StatsOverlay::open("/nonexistent/font.ttf");
  ASSERT_FALSE(o);
  EXPECT_NE(o.error().message().find("/nonexistent/font.ttf"), std::string::npos);
}

}  // namespace
}  // namespace pf::client
