// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/native/held_input.h"

#include <algorithm>

namespace pf::proto::native {
namespace {

constexpr size_t kMaxHeld = 256;

void press(std::vector<uint32_t>& v, uint32_t code) {
  if (std::find(v.begin(), v.end(), code) == v.end() && v.size() < kMaxHeld)
    v.push_back(code);
}
void lift(std::vector<uint32_t>& v, uint32_t code) {
  std::erase(v, code);
}

}  // namespace

void HeldInput::observe(const InputDatagram& e) {
  switch (static_cast<InputKind>(e.kind)) {
    case InputKind::kKeyDown:
      return press(keys_, e.code);
    case InputKind::kKeyUp:
      return lift(keys_, e.code);
    case InputKind::kButtonDown:
      return press(buttons_, e.code);
    case InputKind::kButtonUp:
      return lift(buttons_, e.code);
    case InputKind::kGamepadButton:
      return e.flags & 1 ? press(pad_buttons_, e.code) : lift(pad_buttons_, e.code);
    default:
      return;
  }
}

std::vector<InputDatagram> HeldInput::release_all() {
  std::vector<InputDatagram> out;
  for (uint32_t k : keys_)
    out.push_back(InputDatagram{static_cast<uint8_t>(InputKind::kKeyUp), k, 0, 0, 0});
  for (uint32_t b : buttons_)
    out.push_back(InputDatagram{static_cast<uint8_t>(InputKind::kButtonUp), b, 0, 0, 0});
  for (uint32_t p : pad_buttons_)
    out.push_back(InputDatagram{static_cast<uint8_t>(InputKind::kGamepadButton), p, 0, 0, 0});
  keys_.clear();
  buttons_.clear();
  pad_buttons_.clear();
  return out;
}

}  // namespace pf::proto::native
