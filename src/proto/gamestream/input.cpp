// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/gamestream/input.h"

#include <linux/input-event-codes.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "base/endian.h"

namespace pf::proto::gamestream {

namespace {

using native::InputKind;

int16_t be16s(const uint8_t* p) {
  return static_cast<int16_t>(load_be16(p));
}
float lef32(const uint8_t* p) {
  const uint32_t u = load_le32(p);
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

InputDatagram ev(InputKind kind, uint32_t code, int32_t x = 0, int32_t y = 0, uint32_t flags = 0) {
  return InputDatagram{static_cast<uint8_t>(kind), code, x, y, flags};
}

const std::array<uint16_t, 256>& vk_table() {
  static const std::array<uint16_t, 256> table = [] {
    std::array<uint16_t, 256> t{};
    t[0x08] = KEY_BACKSPACE, t[0x09] = KEY_TAB, t[0x0D] = KEY_ENTER;
    t[0x10] = t[0xA0] = KEY_LEFTSHIFT, t[0xA1] = KEY_RIGHTSHIFT;
    t[0x11] = t[0xA2] = KEY_LEFTCTRL, t[0xA3] = KEY_RIGHTCTRL;
    t[0x12] = t[0xA4] = KEY_LEFTALT, t[0xA5] = KEY_RIGHTALT;
    t[0x13] = KEY_PAUSE, t[0x14] = KEY_CAPSLOCK, t[0x1B] = KEY_ESC, t[0x20] = KEY_SPACE;
    t[0x21] = KEY_PAGEUP, t[0x22] = KEY_PAGEDOWN, t[0x23] = KEY_END, t[0x24] = KEY_HOME;
    t[0x25] = KEY_LEFT, t[0x26] = KEY_UP, t[0x27] = KEY_RIGHT, t[0x28] = KEY_DOWN;
    t[0x2C] = KEY_SYSRQ, t[0x2D] = KEY_INSERT, t[0x2E] = KEY_DELETE;
    const uint16_t digits[10] = {KEY_0, KEY_1, KEY_2, KEY_3, KEY_4,
                                 KEY_5, KEY_6, KEY_7, KEY_8, KEY_9};
    for (int i = 0; i < 10; ++i)
      t[0x30 + i] = digits[i];
    const uint16_t letters[26] = {KEY_A, KEY_B, KEY_C, KEY_D, KEY_E, KEY_F, KEY_G, KEY_H, KEY_I,
                                  KEY_J, KEY_K, KEY_L, KEY_M, KEY_N, KEY_O, KEY_P, KEY_Q, KEY_R,
                                  KEY_S, KEY_T, KEY_U, KEY_V, KEY_W, KEY_X, KEY_Y, KEY_Z};
    for (int i = 0; i < 26; ++i)
      t[0x41 + i] = letters[i];
    t[0x5B] = KEY_LEFTMETA, t[0x5C] = KEY_RIGHTMETA, t[0x5D] = KEY_COMPOSE;
    const uint16_t kp[10] = {KEY_KP0, KEY_KP1, KEY_KP2, KEY_KP3, KEY_KP4,
                             KEY_KP5, KEY_KP6, KEY_KP7, KEY_KP8, KEY_KP9};
    for (int i = 0; i < 10; ++i)
      t[0x60 + i] = kp[i];
    t[0x6A] = KEY_KPASTERISK, t[0x6B] = KEY_KPPLUS, t[0x6D] = KEY_KPMINUS, t[0x6E] = KEY_KPDOT;
    t[0x6F] = KEY_KPSLASH;
    const uint16_t f[24] = {KEY_F1,  KEY_F2,  KEY_F3,  KEY_F4,  KEY_F5,  KEY_F6,  KEY_F7,  KEY_F8,
                            KEY_F9,  KEY_F10, KEY_F11, KEY_F12, KEY_F13, KEY_F14, KEY_F15, KEY_F16,
                            KEY_F17, KEY_F18, KEY_F19, KEY_F20, KEY_F21, KEY_F22, KEY_F23, KEY_F24};
    for (int i = 0; i < 24; ++i)
      t[0x70 + i] = f[i];
    t[0x90] = KEY_NUMLOCK, t[0x91] = KEY_SCROLLLOCK;
    t[0xBA] = KEY_SEMICOLON, t[0xBB] = KEY_EQUAL, t[0xBC] = KEY_COMMA, t[0xBD] = KEY_MINUS;
    t[0xBE] = KEY_DOT, t[0xBF] = KEY_SLASH, t[0xC0] = KEY_GRAVE;
    t[0xDB] = KEY_LEFTBRACE, t[0xDC] = KEY_BACKSLASH, t[0xDD] = KEY_RIGHTBRACE;
    t[0xDE] = KEY_APOSTROPHE, t[0xE2] = KEY_102ND;
    t[0xAD] = KEY_MUTE, t[0xAE] = KEY_VOLUMEDOWN, t[0xAF] = KEY_VOLUMEUP;
    return t;
  }();
  return table;
}

// GameStream gamepad button bits -> evdev buttons.
struct PadButton {
  uint32_t bit;
  uint16_t code;
};
constexpr PadButton kPadButtons[] = {
    {0x0001, BTN_DPAD_UP},
    {0x0002, BTN_DPAD_DOWN},
    {0x0004, BTN_DPAD_LEFT},
    {0x0008, BTN_DPAD_RIGHT},
    {0x0010, BTN_START},
    {0x0020, BTN_SELECT},
    {0x0040, BTN_THUMBL},
    {0x0080, BTN_THUMBR},
    {0x0100, BTN_TL},
    {0x0200, BTN_TR},
    {0x0400, BTN_MODE},
    {0x1000, BTN_SOUTH},
    {0x2000, BTN_EAST},
    {0x4000, BTN_WEST},
    {0x8000, BTN_NORTH},
    {0x10000, BTN_TRIGGER_HAPPY1},
    {0x20000, BTN_TRIGGER_HAPPY2},
    {0x40000, BTN_TRIGGER_HAPPY3},
    {0x80000, BTN_TRIGGER_HAPPY4},
    {0x100000, BTN_TRIGGER_HAPPY5},
    {0x200000, BTN_TRIGGER_HAPPY6},
};

}  // namespace

uint16_t vk_to_evdev(uint8_t vk) {
  return vk_table()[vk];
}

std::vector<InputDatagram> InputTranslator::translate(std::span<const uint8_t> p) {
  std::vector<InputDatagram> out;
  ++stats_.packets;
  const auto malformed = [&] {
    ++stats_.malformed;
    return std::vector<InputDatagram>{};
  };
  if (p.size() < 8 || load_be32(p.data()) != p.size() - 4)
    return malformed();
  const uint32_t magic = load_le32(p.data() + 4);
  const size_t n = p.size();
  switch (magic) {
    case 0x03:
    case 0x04: {  // key down / up
      if (n < 14)
        return malformed();
      const uint8_t vk = static_cast<uint8_t>(load_le16(p.data() + 9) & 0xFF);
      const uint16_t key = vk_to_evdev(vk);
      if (key == 0) {
        ++stats_.unknown;
        return out;
      }
      const bool down = magic == 0x03;
      auto it = std::find(held_keys_.begin(), held_keys_.end(), key);
      if (down && it == held_keys_.end())
        held_keys_.push_back(key);
      if (!down && it != held_keys_.end())
        held_keys_.erase(it);
      out.push_back(ev(down ? InputKind::kKeyDown : InputKind::kKeyUp, key, 0, 0, p[11]));
      break;
    }
    case 0x17: {  // UTF-8 text, one code point
      uint32_t cp = 0;
      const uint8_t* s = p.data() + 8;
      const size_t len = n - 8;
      if (len == 1 && s[0] < 0x80)
        cp = s[0];
      else if (len == 2 && (s[0] & 0xE0) == 0xC0)
        cp = (s[0] & 0x1Fu) << 6 | (s[1] & 0x3Fu);
      else if (len == 3 && (s[0] & 0xF0) == 0xE0)
        cp = (s[0] & 0x0Fu) << 12 | (s[1] & 0x3Fu) << 6 | (s[2] & 0x3Fu);
      else if (len == 4 && (s[0] & 0xF8) == 0xF0)
        cp = (s[0] & 0x07u) << 18 | (s[1] & 0x3Fu) << 12 | (s[2] & 0x3Fu) << 6 | (s[3] & 0x3Fu);
      else
        return malformed();
      out.push_back(ev(InputKind::kText, cp));
      break;
    }
    case 0x07:  // mouse relative
      if (n < 12)
        return malformed();
      out.push_back(ev(InputKind::kMouseRelative, 0, be16s(p.data() + 8), be16s(p.data() + 10)));
      break;
    case 0x05: {  // mouse absolute -> 0..65535 over the display
      if (n < 18)
        return malformed();
      const int32_t x = be16s(p.data() + 8), y = be16s(p.data() + 10);
      const int32_t w = be16s(p.data() + 14) + 1, h = be16s(p.data() + 16) + 1;
      if (w <= 1 || h <= 1)
        return malformed();
      out.push_back(
          ev(InputKind::kMouseAbsolute, 0,
             std::clamp<int32_t>(static_cast<int32_t>(int64_t{x} * 65535 / (w - 1)), 0, 65535),
             std::clamp<int32_t>(static_cast<int32_t>(int64_t{y} * 65535 / (h - 1)), 0, 65535)));
      break;
    }
    case 0x08:
    case 0x09: {  // mouse button
      if (n < 9)
        return malformed();
      static constexpr uint16_t kButtons[] = {0,         BTN_LEFT, BTN_MIDDLE,
                                              BTN_RIGHT, BTN_SIDE, BTN_EXTRA};
      const uint8_t b = p[8];
      if (b == 0 || b > 5) {
        ++stats_.unknown;
        return out;
      }
      const bool down = magic == 0x08;
      auto it = std::find(held_buttons_.begin(), held_buttons_.end(), kButtons[b]);
      if (down && it == held_buttons_.end())
        held_buttons_.push_back(kButtons[b]);
      if (!down && it != held_buttons_.end())
        held_buttons_.erase(it);
      out.push_back(ev(down ? InputKind::kButtonDown : InputKind::kButtonUp, kButtons[b]));
      break;
    }
    case 0x0A:  // vertical scroll, 1/120 notches
      if (n < 10)
        return malformed();
      out.push_back(ev(InputKind::kScroll, 0, 0, be16s(p.data() + 8)));
      break;
    case 0x55000001:  // horizontal scroll
      if (n < 10)
        return malformed();
      out.push_back(ev(InputKind::kHScroll, 0, be16s(p.data() + 8), 0));
      break;
    case 0x0C: {  // multi-controller state
      if (n < 34)
        return malformed();
      const uint16_t pad = load_le16(p.data() + 10) & 0xF;
      const uint16_t mask = load_le16(p.data() + 12);
      Pad next;
      next.present = mask & (1u << pad);
      next.buttons = load_le16(p.data() + 16) | uint32_t{load_le16(p.data() + 30)} << 16;
      next.lt = p[18];
      next.rt = p[19];
      next.lx = static_cast<int16_t>(load_le16(p.data() + 20));
      next.ly = static_cast<int16_t>(load_le16(p.data() + 22));
      next.rx = static_cast<int16_t>(load_le16(p.data() + 24));
      next.ry = static_cast<int16_t>(load_le16(p.data() + 26));
      if (!next.present)
        next = Pad{};  // removed: everything released
      Pad& prev = pads_[pad];
      const uint32_t code_base = uint32_t{pad} << 16;
      for (const auto& b : kPadButtons)
        if ((prev.buttons ^ next.buttons) & b.bit)
          out.push_back(ev(InputKind::kGamepadButton, code_base | b.code, 0, 0,
                           (next.buttons & b.bit) ? 1 : 0));
      // Axes; Y positive = up on the wire, evdev wants positive = down.
      const std::pair<int32_t, int32_t> axes[] = {{prev.lx, next.lx}, {-prev.ly, -next.ly},
                                                  {prev.rx, next.rx}, {-prev.ry, -next.ry},
                                                  {prev.lt, next.lt}, {prev.rt, next.rt}};
      const uint16_t codes[] = {ABS_X, ABS_Y, ABS_RX, ABS_RY, ABS_Z, ABS_RZ};
      for (int i = 0; i < 6; ++i)
        if (axes[i].first != axes[i].second)
          out.push_back(ev(InputKind::kGamepadAxis, code_base | codes[i], axes[i].second));
      prev = next;
      break;
    }
    case 0x0D:        // enable haptics
    case 0x55000007:  // battery
      break;
    case 0x55000003: {  // pen: normalized floats -> 0..65535, pressure 0..65535
      if (n < 36)
        return malformed();
      const uint8_t type = p[8];
      const float x = lef32(p.data() + 12), y = lef32(p.data() + 16);
      const float pressure = lef32(p.data() + 20);
      if (!(x >= 0.f && x <= 1.f && y >= 0.f && y <= 1.f))
        return malformed();
      if (type > 6) {  // 7: cancel all
        ++stats_.unknown;
        return out;
      }
      // 5: buttons only, sent as a move.
      const auto event = type == 5 ? native::PenEvent::kMove : static_cast<native::PenEvent>(type);
      const auto pr = static_cast<uint16_t>(
          pressure >= 0.f && pressure <= 1.f ? std::lround(pressure * 65535.0) : 0);
      out.push_back(native::make_pen(event, p[9] <= 2 ? p[9] : 0, p[10] & 7, p[26],
                                     static_cast<int32_t>(x * 65535),
                                     static_cast<int32_t>(y * 65535), pr));
      break;
    }
    case 0x55000004: {  // controller arrival: which pad it is, what it has
      if (n < 16)
        return malformed();
      const uint32_t pad = p[8] & 0xF;
      const uint8_t type = p[9] <= 3 ? p[9] : 0;  // Steam and later: no layout of their own
      out.push_back(
          ev(InputKind::kGamepadArrival, pad << 16 | type, 0, 0, load_le16(p.data() + 10)));
      break;
    }
    case 0x55000005: {  // controller touchpad: normalized floats -> 0..65535
      if (n < 28)
        return malformed();
      const uint32_t pad = p[8] & 0xF;
      const uint8_t type = p[9];
      const uint32_t finger = load_le32(p.data() + 12);
      const float x = lef32(p.data() + 16), y = lef32(p.data() + 20);
      if (!(x >= 0.f && x <= 1.f && y >= 0.f && y <= 1.f))
        return malformed();
      if (finger > 1 || type == 0 || type > 4) {  // hover, or a third finger
        ++stats_.unknown;
        return out;
      }
      const uint32_t flags = type == 1 ? 0 : type == 3 ? 1 : 2;  // cancel counts as up
      out.push_back(ev(InputKind::kGamepadTouchpad, pad << 16 | finger,
                       static_cast<int32_t>(x * 65535), static_cast<int32_t>(y * 65535), flags));
      break;
    }
    case 0x55000006: {  // controller motion: m/s² or deg/s floats -> thousandths
      if (n < 24)
        return malformed();
      const uint32_t pad = p[8] & 0xF;
      const uint8_t sensor = p[9];
      if (sensor != native::kSensorAccel && sensor != native::kSensorGyro) {
        ++stats_.unknown;
        return out;
      }
      int32_t v[3];
      for (int i = 0; i < 3; ++i) {
        const float f = lef32(p.data() + 12 + 4 * i);
        if (!(f >= -1e6f && f <= 1e6f))  // also false for NaN
          return malformed();
        v[i] = static_cast<int32_t>(std::lround(f * 1000.0));
      }
      out.push_back(ev(InputKind::kGamepadMotion, pad << 16 | sensor, v[0], v[1],
                       static_cast<uint32_t>(v[2])));
      break;
    }
    case 0x55000002: {  // touch: normalized floats -> absolute 0..65535
      if (n < 36)
        return malformed();
      const uint8_t type = p[8];
      const uint32_t id = load_le32(p.data() + 12);
      const float x = lef32(p.data() + 16), y = lef32(p.data() + 20);
      if (!(x >= 0.f && x <= 1.f && y >= 0.f && y <= 1.f))
        return malformed();
      // Touch flags: 0 down, 1 move, 2 up (cancel counts as up).
      const uint32_t flags = type == 1 ? 0 : type == 2 || type == 4 ? 2 : 1;
      out.push_back(ev(InputKind::kTouch, id, static_cast<int32_t>(x * 65535),
                       static_cast<int32_t>(y * 65535), flags));
      break;
    }
    default:
      ++stats_.unknown;
      break;
  }
  return out;
}

std::vector<InputDatagram> InputTranslator::release_all() {
  std::vector<InputDatagram> out;
  for (uint16_t k : held_keys_)
    out.push_back(ev(InputKind::kKeyUp, k));
  for (uint16_t b : held_buttons_)
    out.push_back(ev(InputKind::kButtonUp, b));
  held_keys_.clear();
  held_buttons_.clear();
  for (uint32_t pad = 0; pad < pads_.size(); ++pad) {
    for (const auto& b : kPadButtons)
      if (pads_[pad].buttons & b.bit)
        out.push_back(ev(InputKind::kGamepadButton, pad << 16 | b.code, 0, 0, 0));
    pads_[pad] = Pad{};
  }
  return out;
}

}  // namespace pf::proto::gamestream
