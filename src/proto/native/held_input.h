// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <vector>

#include "proto/native/datagrams.h"

// What a client holds down right now (keys, mouse buttons, gamepad buttons),
// from the input events it sent, so that a session that ends or stalls can
// let go of everything (no stuck keys on the host). Bounded: at most 256
// entries of each kind are tracked. Sans-I/O. Thread model: not thread-safe.
namespace pf::proto::native {

class HeldInput {
 public:
  void observe(const InputDatagram& e);
  // Up events for everything still held; forgets them.
  std::vector<InputDatagram> release_all();
  size_t held() const { return keys_.size() + buttons_.size() + pad_buttons_.size(); }

 private:
  std::vector<uint32_t> keys_, buttons_, pad_buttons_;
};

}  // namespace pf::proto::native
