// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/input/xtest_injector.h"
#include "host/capture/x_display.h"

#include <X11/XKBlib.h>
#include <X11/Xlib.h>
#include <X11/extensions/XTest.h>
#include <X11/keysym.h>
#include <linux/input-event-codes.h>
#undef Status

#include <array>
#include <chrono>
#include <thread>
#include <vector>

#include <fmt/format.h>

namespace pf::host {

using proto::native::InputKind;

unsigned long evdev_to_keysym(uint16_t code) {
  static const std::array<unsigned long, KEY_MAX + 1> table = [] {
    std::array<unsigned long, KEY_MAX + 1> t{};
    const char* letters = "qwertyuiop";
    const uint16_t row1[] = {KEY_Q, KEY_W, KEY_E, KEY_R, KEY_T, KEY_Y, KEY_U, KEY_I, KEY_O, KEY_P};
    for (int i = 0; i < 10; ++i)
      t[row1[i]] = static_cast<unsigned long>(letters[i]);
    const char* l2 = "asdfghjkl";
    const uint16_t row2[] = {KEY_A, KEY_S, KEY_D, KEY_F, KEY_G, KEY_H, KEY_J, KEY_K, KEY_L};
    for (int i = 0; i < 9; ++i)
      t[row2[i]] = static_cast<unsigned long>(l2[i]);
    const char* l3 = "zxcvbnm";
    const uint16_t row3[] = {KEY_Z, KEY_X, KEY_C, KEY_V, KEY_B, KEY_N, KEY_M};
    for (int i = 0; i < 7; ++i)
      t[row3[i]] = static_cast<unsigned long>(l3[i]);
    const uint16_t digits[] = {KEY_0, KEY_1, KEY_2, KEY_3, KEY_4,
                               KEY_5, KEY_6, KEY_7, KEY_8, KEY_9};
    for (int i = 0; i < 10; ++i)
      t[digits[i]] = XK_0 + static_cast<unsigned long>(i);
    const uint16_t fkeys[] = {KEY_F1, KEY_F2, KEY_F3, KEY_F4,  KEY_F5,  KEY_F6,
                              KEY_F7, KEY_F8, KEY_F9, KEY_F10, KEY_F11, KEY_F12};
    for (int i = 0; i < 12; ++i)
      t[fkeys[i]] = XK_F1 + static_cast<unsigned long>(i);
    t[KEY_ESC] = XK_Escape, t[KEY_TAB] = XK_Tab, t[KEY_ENTER] = XK_Return;
    t[KEY_BACKSPACE] = XK_BackSpace, t[KEY_SPACE] = XK_space, t[KEY_CAPSLOCK] = XK_Caps_Lock;
    t[KEY_LEFTSHIFT] = XK_Shift_L, t[KEY_RIGHTSHIFT] = XK_Shift_R;
    t[KEY_LEFTCTRL] = XK_Control_L, t[KEY_RIGHTCTRL] = XK_Control_R;
    t[KEY_LEFTALT] = XK_Alt_L, t[KEY_RIGHTALT] = XK_Alt_R;
    t[KEY_LEFTMETA] = XK_Super_L, t[KEY_RIGHTMETA] = XK_Super_R, t[KEY_COMPOSE] = XK_Menu;
    t[KEY_LEFT] = XK_Left, t[KEY_RIGHT] = XK_Right, t[KEY_UP] = XK_Up, t[KEY_DOWN] = XK_Down;
    t[KEY_HOME] = XK_Home, t[KEY_END] = XK_End, t[KEY_PAGEUP] = XK_Page_Up;
    t[KEY_PAGEDOWN] = XK_Page_Down, t[KEY_INSERT] = XK_Insert, t[KEY_DELETE] = XK_Delete;
    t[KEY_MINUS] = XK_minus, t[KEY_EQUAL] = XK_equal, t[KEY_LEFTBRACE] = XK_bracketleft;
    t[KEY_RIGHTBRACE] = XK_bracketright, t[KEY_SEMICOLON] = XK_semicolon;
    t[KEY_APOSTROPHE] = XK_apostrophe, t[KEY_GRAVE] = XK_grave, t[KEY_BACKSLASH] = XK_backslash;
    t[KEY_COMMA] = XK_comma, t[KEY_DOT] = XK_period, t[KEY_SLASH] = XK_slash;
    t[KEY_NUMLOCK] = XK_Num_Lock, t[KEY_SCROLLLOCK] = XK_Scroll_Lock, t[KEY_PAUSE] = XK_Pause;
    t[KEY_SYSRQ] = XK_Print, t[KEY_102ND] = XK_less;
    t[KEY_KP0] = XK_KP_0, t[KEY_KP1] = XK_KP_1, t[KEY_KP2] = XK_KP_2, t[KEY_KP3] = XK_KP_3;
    t[KEY_KP4] = XK_KP_4, t[KEY_KP5] = XK_KP_5, t[KEY_KP6] = XK_KP_6, t[KEY_KP7] = XK_KP_7;
    t[KEY_KP8] = XK_KP_8, t[KEY_KP9] = XK_KP_9, t[KEY_KPDOT] = XK_KP_Decimal;
    t[KEY_KPPLUS] = XK_KP_Add, t[KEY_KPMINUS] = XK_KP_Subtract;
    t[KEY_KPASTERISK] = XK_KP_Multiply, t[KEY_KPSLASH] = XK_KP_Divide;
    t[KEY_KPENTER] = XK_KP_Enter;
    return t;
  }();
  return code <= KEY_MAX ? table[code] : 0;
}

struct XTestInjector::Impl {
  Display* dpy = nullptr;
  int width = 0, height = 0;
  // Keycodes without symbols, remapped per character of text in turn, so a
  // client that refreshes its keymap late still reads recent characters right.
  std::vector<KeyCode> spares;
  size_t next_spare = 0;
  int scroll_v = 0, scroll_h = 0;  // sub-notch remainders (1/120)
  ~Impl() {
    if (dpy)
      close_x_display(dpy);
  }
};

XTestInjector::XTestInjector(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
XTestInjector::~XTestInjector() = default;

Result<std::unique_ptr<XTestInjector>> XTestInjector::open(const std::string& display) {
  auto impl = std::make_unique<Impl>();
  impl->dpy = open_x_display(display);
  if (!impl->dpy)
    return make_error(StatusCode::kUnavailable, fmt::format("cannot open X display {}", display));
  int ev, err, major, minor;
  if (!XTestQueryExtension(impl->dpy, &ev, &err, &major, &minor))
    return make_error(StatusCode::kUnavailable,
                      fmt::format("X display {} has no XTEST extension", display));
  impl->width = DisplayWidth(impl->dpy, DefaultScreen(impl->dpy));
  impl->height = DisplayHeight(impl->dpy, DefaultScreen(impl->dpy));
  // Up to 16 keycodes with no symbols carry text characters.
  int min_kc = 0, max_kc = 0, per = 0;
  XDisplayKeycodes(impl->dpy, &min_kc, &max_kc);
  KeySym* map =
      XGetKeyboardMapping(impl->dpy, static_cast<KeyCode>(min_kc), max_kc - min_kc + 1, &per);
  for (int kc = max_kc; map && kc >= min_kc && impl->spares.size() < 16; --kc) {
    bool empty = true;
    for (int i = 0; i < per; ++i)
      empty = empty && map[(kc - min_kc) * per + i] == NoSymbol;
    if (empty)
      impl->spares.push_back(static_cast<KeyCode>(kc));
  }
  if (map)
    XFree(map);
  return std::unique_ptr<XTestInjector>(new XTestInjector(std::move(impl)));
}

void XTestInjector::inject(const proto::native::InputDatagram& e) {
  Impl& d = *impl_;
  if (x_display_lost(d.dpy))
    return;  // the server is gone: no more Xlib calls on this connection
  auto click = [&](unsigned button, bool down) { XTestFakeButtonEvent(d.dpy, button, down, 0); };
  switch (static_cast<InputKind>(e.kind)) {
    case InputKind::kKeyDown:
    case InputKind::kKeyUp: {
      const unsigned long sym = evdev_to_keysym(static_cast<uint16_t>(e.code));
      const KeyCode kc = sym ? XKeysymToKeycode(d.dpy, sym) : 0;
      if (kc == 0) {
        ++stats_.unmapped;
        return;
      }
      XTestFakeKeyEvent(d.dpy, kc, e.kind == static_cast<uint8_t>(InputKind::kKeyDown), 0);
      break;
    }
    case InputKind::kMouseRelative:
      XTestFakeRelativeMotionEvent(d.dpy, e.x, e.y, 0);
      break;
    case InputKind::kMouseAbsolute:
      XTestFakeMotionEvent(d.dpy, -1, static_cast<int>(int64_t{e.x} * (d.width - 1) / 65535),
                           static_cast<int>(int64_t{e.y} * (d.height - 1) / 65535), 0);
      break;
    case InputKind::kButtonDown:
    case InputKind::kButtonUp: {
      const bool down = e.kind == static_cast<uint8_t>(InputKind::kButtonDown);
      unsigned b = 0;
      switch (e.code) {
        case BTN_LEFT:
          b = 1;
          break;
        case BTN_MIDDLE:
          b = 2;
          break;
        case BTN_RIGHT:
          b = 3;
          break;
        case BTN_SIDE:
          b = 8;
          break;
        case BTN_EXTRA:
          b = 9;
          break;
        default:
          ++stats_.unmapped;
          return;
      }
      click(b, down);
      break;
    }
    case InputKind::kText: {
      // One Unicode scalar, typed with the key that produces it unshifted if
      // the keymap has one, else on a spare keycode mapped to it for this
      // character.
      const KeySym sym = text_keysym(e.code);
      if (sym == 0) {
        ++stats_.unmapped;
        return;
      }
      KeyCode kc = XKeysymToKeycode(d.dpy, sym);
      if (kc == 0 || XkbKeycodeToKeysym(d.dpy, kc, 0, 0) != sym) {
        if (d.spares.empty()) {
          ++stats_.unmapped;
          return;
        }
        kc = d.spares[d.next_spare++ % d.spares.size()];
        KeySym syms[2] = {sym, sym};
        XChangeKeyboardMapping(d.dpy, kc, 2, syms, 1);
        XSync(d.dpy, False);
        if (x_display_lost(d.dpy))
          return;
        // Clients refresh their keymap lazily (on MappingNotify, with a round
        // trip): give them a moment, or a busy one looks the key up in the old
        // map and sees NoSymbol. Only characters missing from the keymap pay this.
        std::this_thread::sleep_for(std::chrono::milliseconds(15));
      }
      XTestFakeKeyEvent(d.dpy, kc, True, 0);
      XTestFakeKeyEvent(d.dpy, kc, False, 0);
      break;
    }
    case InputKind::kScroll:
    case InputKind::kHScroll: {
      // X scrolls by whole notches (buttons 4/5 up/down, 6/7 left/right).
      const bool vertical = e.kind == static_cast<uint8_t>(InputKind::kScroll);
      int& acc = vertical ? d.scroll_v : d.scroll_h;
      acc += vertical ? e.y : e.x;
      while (acc >= 120 || acc <= -120) {
        const bool positive = acc > 0;
        const unsigned b = vertical ? (positive ? 4 : 5) : (positive ? 7 : 6);
        click(b, true);
        click(b, false);
        acc += positive ? -120 : 120;
      }
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
  if (!x_display_lost(d.dpy))
    XFlush(d.dpy);
  ++stats_.injected;
}

}  // namespace pf::host
