// SPDX-License-Identifier: MIT OR Apache-2.0
#include "content.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

namespace pf::bench {
namespace {

constexpr uint8_t kWhite = 235, kInk = 30;

// Triangle wave over [0, span]: position `t` bounced back and forth.
int bounce(int64_t t, int span) {
  if (span <= 0)
    return 0;
  const int64_t p = t % (2 * int64_t{span});
  return static_cast<int>(p <= span ? p : 2 * span - p);
}

void fill_rect(std::vector<uint8_t>& plane,
               int stride,
               int x0,
               int y0,
               int w,
               int h,
               uint8_t v,
               int max_w,
               int max_h) {
  for (int y = std::max(0, y0); y < std::min(max_h, y0 + h); ++y)
    for (int x = std::max(0, x0); x < std::min(max_w, x0 + w); ++x)
      plane[static_cast<size_t>(y) * stride + x] = v;
}

// Lines of text into a luma plane (and its chroma: links are blue).
void typeset(std::mt19937& rng,
             std::vector<uint8_t>& y,
             std::vector<uint8_t>& u,
             std::vector<uint8_t>& v,
             int w,
             int h,
             int left,
             int right) {
  constexpr int kLine = 16, kCellW = 7, kCellH = 10;
  for (int top = 8; top + kLine <= h; top += kLine) {
    const int end = right - static_cast<int>(rng() % static_cast<uint32_t>((right - left) / 3 + 1));
    const bool link = rng() % 7 == 0;
    for (int x = left; x + kCellW <= end;) {
      const int word = 2 + static_cast<int>(rng() % 8);
      for (int g = 0; g < word && x + kCellW <= end; ++g, x += kCellW) {
        // A glyph: a random 5x8 bitmap, about 40 % ink.
        for (int gy = 0; gy < 8; ++gy)
          for (int gx = 0; gx < 5; ++gx)
            if (rng() % 5 < 2)
              y[static_cast<size_t>(top + 1 + gy) * w + x + 1 + gx] = kInk;
        if (link)
          for (int cy = (top + 1) / 2; cy < (top + kCellH) / 2; ++cy)
            for (int cx = x / 2; cx < (x + kCellW) / 2; ++cx) {
              u[static_cast<size_t>(cy) * ((w + 1) / 2) + cx] = 180;
              v[static_cast<size_t>(cy) * ((w + 1) / 2) + cx] = 100;
            }
      }
      x += kCellW;  // the space between words
    }
  }
}

// Value noise: random lattice values every `cell` pixels, bilinear between.
void add_noise(std::mt19937& rng, std::vector<float>& acc, int w, int h, int cell, float weight) {
  const int gw = w / cell + 2, gh = h / cell + 2;
  std::vector<float> grid(static_cast<size_t>(gw) * gh);
  for (float& g : grid)
    g = static_cast<float>(rng() % 256);
  for (int y = 0; y < h; ++y) {
    const int gy = y / cell;
    const float fy = static_cast<float>(y % cell) / cell;
    for (int x = 0; x < w; ++x) {
      const int gx = x / cell;
      const float fx = static_cast<float>(x % cell) / cell;
      const float* r0 = &grid[static_cast<size_t>(gy) * gw + gx];
      const float* r1 = r0 + gw;
      const float top = r0[0] + (r0[1] - r0[0]) * fx, bot = r1[0] + (r1[1] - r1[0]) * fx;
      acc[static_cast<size_t>(y) * w + x] += weight * (top + (bot - top) * fy);
    }
  }
}

std::vector<uint8_t> noise_plane(std::mt19937& rng,
                                 int w,
                                 int h,
                                 std::initializer_list<std::pair<int, float>> octaves) {
  std::vector<float> acc(static_cast<size_t>(w) * h, 0.f);
  for (const auto& [cell, weight] : octaves)
    add_noise(rng, acc, w, h, cell, weight);
  std::vector<uint8_t> out(acc.size());
  for (size_t i = 0; i < acc.size(); ++i)
    out[i] = static_cast<uint8_t>(std::clamp(acc[i], 16.f, 235.f));
  return out;
}

}  // namespace

const char* to_string(ContentKind k) {
  return k == ContentKind::kDesktop ? "desktop" : "game";
}

BenchContent::BenchContent(ContentKind kind, int width, int height)
    : kind_(kind), width_(width), height_(height) {
  std::mt19937 rng(20261207);
  if (kind == ContentKind::kDesktop) {
    page_w_ = width;
    page_h_ = height * 4;
    page_y_.assign(static_cast<size_t>(page_w_) * page_h_, kWhite);
    page_u_.assign(static_cast<size_t>((page_w_ + 1) / 2) * ((page_h_ + 1) / 2), 128);
    page_v_ = page_u_;
    typeset(rng, page_y_, page_u_, page_v_, page_w_, page_h_, width / 10, width * 9 / 10);
  } else {
    page_w_ = width * 3 / 2;
    page_h_ = height * 3 / 2;
    page_y_ = noise_plane(rng, page_w_, page_h_, {{96, 0.45f}, {32, 0.3f}, {8, 0.15f}, {2, 0.1f}});
    const int cw = (page_w_ + 1) / 2, ch = (page_h_ + 1) / 2;
    page_u_ = noise_plane(rng, cw, ch, {{64, 0.7f}, {8, 0.3f}});
    page_v_ = noise_plane(rng, cw, ch, {{64, 0.7f}, {8, 0.3f}});
  }
}

void BenchContent::render(uint32_t index, host::YuvFrame& out) const {
  if (out.width != width_ || out.height != height_)
    out.allocate(width_, height_);
  if (kind_ == ContentKind::kDesktop)
    render_desktop(index, out);
  else
    render_game(index, out);
}

void BenchContent::render_desktop(uint32_t index, host::YuvFrame& out) const {
  const int cw = out.chroma_width(), ch = out.chroma_height(), pcw = (page_w_ + 1) / 2;
  // The page scrolls 2 pixel rows a frame (1 chroma row), back and forth.
  const int top = bounce(int64_t{index} * 2, page_h_ - height_) & ~1;
  for (int y = 0; y < height_; ++y)
    std::memcpy(&out.y[static_cast<size_t>(y) * width_],
                &page_y_[static_cast<size_t>(top + y) * page_w_], static_cast<size_t>(width_));
  for (int y = 0; y < ch; ++y) {
    std::memcpy(&out.u[static_cast<size_t>(y) * cw],
                &page_u_[static_cast<size_t>(top / 2 + y) * pcw], static_cast<size_t>(cw));
    std::memcpy(&out.v[static_cast<size_t>(y) * cw],
                &page_v_[static_cast<size_t>(top / 2 + y) * pcw], static_cast<size_t>(cw));
  }
  // A title bar, and a grey window dragged diagonally 4 pixels a frame.
  fill_rect(out.y, width_, 0, 0, width_, 32, 70, width_, height_);
  fill_rect(out.u, cw, 0, 0, cw, 16, 170, cw, ch);
  fill_rect(out.v, cw, 0, 0, cw, 16, 110, cw, ch);
  const int ww = width_ / 3, wh = height_ / 3;
  const int wx = bounce(int64_t{index} * 4, width_ - ww) & ~1;
  const int wy = 32 + (bounce(int64_t{index} * 3, height_ - 32 - wh) & ~1);
  fill_rect(out.y, width_, wx, wy, ww, wh, 200, width_, height_);
  fill_rect(out.y, width_, wx, wy, ww, 24, 110, width_, height_);
  fill_rect(out.u, cw, wx / 2, wy / 2, ww / 2, wh / 2, 128, cw, ch);
  fill_rect(out.v, cw, wx / 2, wy / 2, ww / 2, wh / 2, 128, cw, ch);
}

void BenchContent::render_game(uint32_t index, host::YuvFrame& out) const {
  const int cw = out.chroma_width(), ch = out.chroma_height(), pcw = (page_w_ + 1) / 2;
  // A pan at 6 pixels a frame along x and 2 along y, bounced at the edges.
  const int x0 = bounce(int64_t{index} * 6, page_w_ - width_) & ~1;
  const int y0 = bounce(int64_t{index} * 2, page_h_ - height_) & ~1;
  for (int y = 0; y < height_; ++y)
    std::memcpy(&out.y[static_cast<size_t>(y) * width_],
                &page_y_[static_cast<size_t>(y0 + y) * page_w_ + x0], static_cast<size_t>(width_));
  for (int y = 0; y < ch; ++y) {
    const size_t src = static_cast<size_t>(y0 / 2 + y) * pcw + x0 / 2;
    std::memcpy(&out.u[static_cast<size_t>(y) * cw], &page_u_[src], static_cast<size_t>(cw));
    std::memcpy(&out.v[static_cast<size_t>(y) * cw], &page_v_[src], static_cast<size_t>(cw));
  }
  // A bright sprite crossing the other way.
  const int s = height_ / 8;
  const int sx = width_ - s - bounce(int64_t{index} * 9, width_ - s);
  const int sy = bounce(int64_t{index} * 5, height_ - s);
  for (int y = 0; y < s; ++y)
    for (int x = 0; x < s; ++x)
      out.y[static_cast<size_t>(sy + y) * width_ + sx + x] =
          static_cast<uint8_t>(150 + (x + y) * 85 / (2 * s));
  fill_rect(out.u, cw, sx / 2, sy / 2, s / 2, s / 2, 90, cw, ch);
  fill_rect(out.v, cw, sx / 2, sy / 2, s / 2, s / 2, 200, cw, ch);
}

}  // namespace pf::bench
