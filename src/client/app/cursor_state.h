// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "proto/native/control.h"
#include "proto/native/datagrams.h"

// The host's pointer as the cursor channel reports it (protocol section 8):
// the shapes by serial (the newest kept) and the position of the newest frame
// (datagrams may come late or out of order). Thread model: any thread.
namespace pf::client {

class CursorState {
 public:
  struct Snapshot {
    std::shared_ptr<const proto::native::CursorShape> shape;  // null: none to draw
    int x = 0, y = 0;  // the hotspot, in the picture's pixels
    bool visible = false;
  };

  void on_shape(const proto::native::CursorShape& s);
  void on_position(const proto::native::CursorDatagram& d);
  // What to draw now: the shape the newest position names (or the newest
  // shape, until that one arrives) at that position.
  Snapshot snapshot() const;
  // "cursor: 2 shapes (the last 24x24), 300 positions, the last at (17, 40), visible".
  std::string summary() const;
  uint64_t shapes() const;
  uint64_t positions() const;

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const proto::native::CursorShape> shape_;
  std::optional<proto::native::CursorDatagram> last_;
  uint64_t shapes_ = 0, positions_ = 0, stale_ = 0;
};

}  // namespace pf::client
