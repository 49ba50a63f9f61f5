// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>

#include "host/capture/frame.h"

// The host's side of the punktfunk/1 cursor channel (protocol section 8),
// sans-I/O: per frame, a CursorShape control message when the pointer's image
// changed (and before the first position), and a 0xCF datagram with the
// pointer's position. Bytes go out through the two senders. Thread model: the
// video thread's.
namespace pf::host::native {

class CursorForwarder {
 public:
  using Sender = std::function<void(std::span<const uint8_t>)>;
  CursorForwarder(Sender control, Sender datagram)
      : control_(std::move(control)), datagram_(std::move(datagram)) {}

  // `cursor` as captured with the frame that goes out as `frame_index`;
  // nothing is sent for a frame whose source did not report the pointer.
  void on_frame(uint32_t frame_index, const FrameCursor& cursor);

  uint64_t shapes_sent() const { return shapes_; }
  uint64_t positions_sent() const { return positions_; }

 private:
  Sender control_, datagram_;
  std::shared_ptr<const CursorImage> held_;  // the image last sent
  uint64_t shapes_ = 0, positions_ = 0;
};

}  // namespace pf::host::native
