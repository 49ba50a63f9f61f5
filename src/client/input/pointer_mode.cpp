// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/input/pointer_mode.h"

#include <algorithm>

namespace pf::client {

namespace pn = proto::native;

bool PointerMode::toggle() {
  captured_ = !captured_;
  return true;
}

bool PointerMode::focus_lost() {
  if (!captured_)
    return false;
  captured_ = false;
  return true;
}

bool PointerMode::click(bool* forward) {
  if (!captured_ && on_click_) {
    captured_ = true;
    *forward = false;  // this click only took the pointer
    return true;
  }
  *forward = true;
  return false;
}

pn::InputDatagram PointerMode::motion(int x, int y, int dx, int dy, int w, int h) const {
  if (captured_)
    return pn::InputDatagram{static_cast<uint8_t>(pn::InputKind::kMouseRelative), 0, dx, dy, 0};
  w = std::max(2, w);
  h = std::max(2, h);
  x = std::clamp(x, 0, w - 1);
  y = std::clamp(y, 0, h - 1);
  return pn::InputDatagram{static_cast<uint8_t>(pn::InputKind::kMouseAbsolute), 0,
                           x * 65535 / (w - 1), y * 65535 / (h - 1), 0};
}

}  // namespace pf::client
