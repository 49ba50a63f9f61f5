// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "base/status.h"
#include "host/capture/video_source.h"

namespace pf::host {

struct PwVideoStats {
  uint64_t buffers = 0;         // frames the compositor delivered
  uint64_t empty = 0;           // buffers without a picture (cursor-only or corrupted)
  uint64_t dmabufs_mapped = 0;  // DMA-BUFs mapped for reading (one per buffer of the pool)
};

// Captures a PipeWire video node, e.g. a compositor's screen cast (Mutter's
// RecordVirtual, a portal session): asks for exactly `width` x `height` (a
// virtual monitor takes the size its consumer asks for) at up to `fps`: as
// linear DMA-BUFs when the compositor offers them (mapped once per buffer,
// read between DMA_BUF_IOCTL_SYNC start/end), else in shared memory
// (MemFd/MemPtr). Tiled or compressed GPU layouts are not asked for (they
// would need the GPU to read). The compositor only
// sends a frame when the picture changes, so the newest buffer is held until a
// newer one arrives and every capture() converts it to YUV in place: the one
// copy of the pipeline, straight from the compositor's memory into the
// capture ring.
// Thread model: callbacks on the PipeWire thread; capture() on one other
// thread (it holds the PipeWire loop lock while it converts).
class PwVideoCapture : public VideoSource {
 public:
  // Connects to node `node_id` and waits up to `timeout` for the format and
  // the first frame; kUnavailable (with the reason) if none comes.
  // `remote_fd` >= 0: connect through that PipeWire connection (a portal's;
  // taken over) instead of the user's PipeWire socket.
  static Result<std::unique_ptr<PwVideoCapture>> open(uint32_t node_id,
                                                      int width,
                                                      int height,
                                                      int fps,
                                                      std::chrono::milliseconds timeout,
                                                      int remote_fd = -1);
  ~PwVideoCapture() override;

  int width() const override { return width_; }
  int height() const override { return height_; }
  std::string describe() const override;
  Status capture(uint32_t index, int64_t capture_time_ns, YuvFrame& out) override;
  PwVideoStats stats() const;

 private:
  struct Impl;
  PwVideoCapture() = default;
  std::unique_ptr<Impl> impl_;
  int width_ = 0, height_ = 0;
};

}  // namespace pf::host
