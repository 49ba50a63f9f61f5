// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/input/mutter_injector.h"

#include <algorithm>

#include "host/vdisplay/mutter_display.h"

namespace pf::host {

using proto::native::InputKind;

double MutterInjector::scale_x(int32_t v) const {
  const int64_t c = std::clamp<int64_t>(v, 0, 65535);
  return static_cast<double>(c * (display_.mode().width - 1) / 65535);
}
double MutterInjector::scale_y(int32_t v) const {
  const int64_t c = std::clamp<int64_t>(v, 0, 65535);
  return static_cast<double>(c * (display_.mode().height - 1) / 65535);
}

void MutterInjector::inject(const proto::native::InputDatagram& e) {
  bool sent = false;
  switch (static_cast<InputKind>(e.kind)) {
    case InputKind::kKeyDown:
    case InputKind::kKeyUp:
      sent = display_.notify_key(e.code, e.kind == static_cast<uint8_t>(InputKind::kKeyDown));
      break;
    case InputKind::kText: {
      const uint32_t sym = text_keysym(e.code);
      if (sym == 0) {
        ++stats_.unmapped;
        return;
      }
      sent = display_.notify_keysym(sym, true) && display_.notify_keysym(sym, false);
      break;
    }
    case InputKind::kMouseRelative:
      sent = display_.notify_motion_relative(e.x, e.y);
      break;
    case InputKind::kMouseAbsolute:
      sent = display_.notify_motion_absolute(scale_x(e.x), scale_y(e.y));
      break;
    case InputKind::kTouch:
      // flags: 0 down, 1 move, 2 up (protocol section 5); code = contact id.
      switch (e.flags) {
        case 0:
          sent = display_.notify_touch_down(e.code, scale_x(e.x), scale_y(e.y));
          break;
        case 1:
          sent = display_.notify_touch_motion(e.code, scale_x(e.x), scale_y(e.y));
          break;
        case 2:
          sent = display_.notify_touch_up(e.code);
          break;
        default:
          ++stats_.unmapped;
          return;
      }
      break;
    case InputKind::kButtonDown:
    case InputKind::kButtonUp:
      sent = display_.notify_button(e.code, e.kind == static_cast<uint8_t>(InputKind::kButtonDown));
      break;
    case InputKind::kScroll:
    case InputKind::kHScroll: {
      // The input model counts up and right as positive; Mutter counts down
      // and right.
      const bool vertical = e.kind == static_cast<uint8_t>(InputKind::kScroll);
      const int notches = take_notches(vertical ? scroll_v_ : scroll_h_, vertical ? e.y : e.x);
      sent = notches == 0 ||
             display_.notify_scroll_discrete(vertical ? 0 : 1, vertical ? -notches : notches);
      break;
    }
    case InputKind::kPen:  // no pens here: the pointer, pressed while the pen touches
      for (const auto& pe : pen_as_pointer(e))
        inject(pe);
      return;
    default:
      ++stats_.unsupported;
      return;
  }
  if (sent)
    ++stats_.injected;
  else
    ++stats_.unsupported;
}

}  // namespace pf::host
