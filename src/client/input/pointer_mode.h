// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include "proto/native/datagrams.h"

// The client's pointer: free (the host gets absolute positions in the
// window, what a desktop wants) or captured (hidden and held by the window,
// the host gets relative motion, what a game wants). Ctrl+Alt+Shift+Z toggles;
// with `capture_on_click` (stream --capture-pointer) a click in the window
// captures (that click only grabs, it is not sent); losing focus releases.
// Sans-SDL: the window applies the answers. Thread model: one thread.
namespace pf::client {

class PointerMode {
 public:
  explicit PointerMode(bool capture_on_click) : on_click_(capture_on_click) {}

  bool captured() const { return captured_; }
  // Each returns whether the capture changed (the window then grabs or
  // releases the pointer).
  bool toggle();
  bool focus_lost();
  // A mouse button went down; *forward says whether to send it to the host.
  bool click(bool* forward);

  // A motion event at (x, y) in a w x h window, moved by (dx, dy).
  proto::native::InputDatagram motion(int x, int y, int dx, int dy, int w, int h) const;

 private:
  bool on_click_;
  bool captured_ = false;
};

}  // namespace pf::client
