// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/app/cursor_state.h"

#include <fmt/format.h>

namespace pf::client {

namespace pn = pf::proto::native;

void CursorState::on_shape(const pn::CursorShape& s) {
  auto shape = std::make_shared<const pn::CursorShape>(s);
  std::lock_guard lock(mu_);
  shape_ = std::move(shape);
  ++shapes_;
}

void CursorState::on_position(const pn::CursorDatagram& d) {
  std::lock_guard lock(mu_);
  ++positions_;
  // The newest frame wins (serial-number order, as frame indices wrap).
  if (last_ && static_cast<int32_t>(d.frame_index - last_->frame_index) < 0) {
    ++stale_;
    return;
  }
  last_ = d;
}

CursorState::Snapshot CursorState::snapshot() const {
  std::lock_guard lock(mu_);
  Snapshot s;
  if (!last_)
    return s;
  s.shape = shape_;
  s.x = last_->x;
  s.y = last_->y;
  s.visible = (last_->flags & pn::kCursorVisible) != 0 && shape_ != nullptr;
  return s;
}

std::string CursorState::summary() const {
  std::lock_guard lock(mu_);
  std::string out = fmt::format("cursor: {} shapes", shapes_);
  if (shape_)
    out +=
        fmt::format(" (the last {}x{}, serial {})", shape_->width, shape_->height, shape_->serial);
  out += fmt::format(", {} positions ({} stale)", positions_, stale_);
  if (last_)
    out += fmt::format(", the last at ({}, {}), {}", last_->x, last_->y,
                       (last_->flags & pn::kCursorVisible) ? "visible" : "hidden");
  return out;
}

uint64_t CursorState::shapes() const {
  std::lock_guard lock(mu_);
  return shapes_;
}

uint64_t CursorState::positions() const {
  std::lock_guard lock(mu_);
  return positions_;
}

}  // namespace pf::client
