// SPDX-License-Identifier: MIT OR Apache-2.0
// Test helper: `pf-sdl-watch WIDTHxHEIGHT RRGGBB` opens a full-screen SDL2
// window on the display (monitor) of that size, fills it with the colour (a
// picture unique to that monitor) and prints "key NAME" for every key press
// it receives, as a game reads keys. It prints "ready on display N" once its
// window is shown and focused. For compositors the tests cannot open windows
// on a chosen output any other way (Mutter without a shell).
#include <SDL.h>

#include <cstdio>
#include <cstdlib>

namespace {

int display_of_size(int w, int h) {
  for (int i = 0; i < SDL_GetNumVideoDisplays(); ++i) {
    SDL_Rect r;
    if (SDL_GetDisplayBounds(i, &r) == 0 && r.w == w && r.h == h)
      return i;
  }
  return -1;
}

void fill(SDL_Window* win, unsigned rgb) {
  SDL_Surface* s = SDL_GetWindowSurface(win);
  if (!s)
    return;
  SDL_FillRect(s, nullptr, SDL_MapRGB(s->format, rgb >> 16, (rgb >> 8) & 0xff, rgb & 0xff));
  SDL_UpdateWindowSurface(win);
}

}  // namespace

int main(int argc, char** argv) {
  int w = 0, h = 0;
  if (argc != 3 || std::sscanf(argv[1], "%dx%d", &w, &h) != 2) {
    std::fprintf(stderr, "usage: pf-sdl-watch WIDTHxHEIGHT RRGGBB\n");
    return 2;
  }
  const unsigned rgb = static_cast<unsigned>(std::strtoul(argv[2], nullptr, 16));
  if (SDL_Init(SDL_INIT_VIDEO) != 0) {
    std::fprintf(stderr, "pf-sdl-watch: %s\n", SDL_GetError());
    return 1;
  }
  int display = -1;
  for (int i = 0; i < 100 && display < 0; ++i) {  // monitors may still be appearing
    display = display_of_size(w, h);
    if (display < 0) {
      SDL_Delay(50);
      SDL_PumpEvents();
    }
  }
  if (display < 0) {
    std::fprintf(stderr, "pf-sdl-watch: no display of %dx%d\n", w, h);
    return 1;
  }
  SDL_Window* win = SDL_CreateWindow("pf-sdl-watch", SDL_WINDOWPOS_CENTERED_DISPLAY(display),
                                     SDL_WINDOWPOS_CENTERED_DISPLAY(display), w, h,
                                     SDL_WINDOW_FULLSCREEN_DESKTOP);
  if (!win) {
    std::fprintf(stderr, "pf-sdl-watch: %s\n", SDL_GetError());
    return 1;
  }
  for (int i = 0; i < SDL_GetNumVideoDisplays(); ++i) {
    SDL_Rect r{};
    SDL_GetDisplayBounds(i, &r);
    std::printf("display %d: %dx%d at %d,%d\n", i, r.w, r.h, r.x, r.y);
  }
  bool ready = false;
  for (;;) {
    SDL_Event e;
    if (!SDL_WaitEventTimeout(&e, 200)) {
      fill(win, rgb);  // repaint now and then: a compositor may drop a buffer
      continue;
    }
    if (e.type == SDL_QUIT)
      break;
    if (e.type == SDL_WINDOWEVENT) {
      fill(win, rgb);
      if (!ready && e.window.event == SDL_WINDOWEVENT_FOCUS_GAINED) {
        ready = true;
        int x = 0, y = 0, ww = 0, wh = 0;
        SDL_GetWindowPosition(win, &x, &y);
        SDL_GetWindowSize(win, &ww, &wh);
        std::printf("ready on display %d (window %dx%d at %d,%d)\n", SDL_GetWindowDisplayIndex(win),
                    ww, wh, x, y);
      }
    } else if (e.type == SDL_KEYDOWN) {
      std::printf("key %s\n", SDL_GetKeyName(e.key.keysym.sym));
    }
    std::fflush(stdout);
  }
  std::_Exit(0);  // without SDL's teardown, which can crash on a compositor that went away
}
