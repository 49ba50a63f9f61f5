// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "proto/native/datagrams.h"

// Touch contacts as punktfunk/1 touch input (kind 12: code = contact id,
// x/y 0..65535 over the display, flags 0 down, 1 move, 2 up): SDL's 64-bit
// finger ids become small contact ids (the lowest free of 10, what the host's
// touch devices take), positions come normalized 0..1. A finger beyond the
// tenth, or a move/up of a finger never seen down, is dropped.
// Sans-SDL. Thread model: one thread.
namespace pf::client {

class TouchMap {
 public:
  static constexpr size_t kContacts = 10;
  enum class Phase { kDown, kMove, kUp };
  std::optional<proto::native::InputDatagram> on(Phase phase, int64_t finger, float x, float y);
  size_t active() const;

 private:
  std::array<std::optional<int64_t>, kContacts> fingers_{};
};

}  // namespace pf::client
