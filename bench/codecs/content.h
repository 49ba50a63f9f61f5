// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "host/capture/frame.h"

// Pictures for measuring encoders on what users stream, rendered the same way
// in every run (a fixed seed), in I420:
//   desktop: a white page of dark text lines (glyph-sized blocks with word
//     gaps) scrolling 2 lines of pixels a frame, a coloured title bar and a
//     window being dragged across it — what a desktop session mostly is;
//   game: a pan over a detailed, coloured texture (four octaves of value
//     noise) at 6 px a frame with a bright sprite moving against it — every
//     pixel changes every frame, as in a game.
// Not thread-safe; one per thread.
namespace pf::bench {

enum class ContentKind { kDesktop, kGame };

const char* to_string(ContentKind k);

class BenchContent {
 public:
  BenchContent(ContentKind kind, int width, int height);
  // Frame `index` (from 0) into `out` (buffers reused).
  void render(uint32_t index, host::YuvFrame& out) const;

 private:
  ContentKind kind_;
  int width_, height_;
  // desktop: a page of text, taller than the screen, scrolled through;
  // game: the texture, larger than the screen, panned over.
  int page_w_ = 0, page_h_ = 0;
  std::vector<uint8_t> page_y_, page_u_, page_v_;  // chroma at half resolution
  void render_desktop(uint32_t index, host::YuvFrame& out) const;
  void render_game(uint32_t index, host::YuvFrame& out) const;
};

}  // namespace pf::bench
