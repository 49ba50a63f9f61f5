// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "host/encode/video_encoder.h"

namespace pf::host {

// Reference-frame invalidation for a streamer: remembers which encoder frame
// each frame on the wire was, and turns a receiver's "I lost frames
// first..last" into VideoEncoder::invalidate_from, or says a keyframe is
// needed (the encoder cannot invalidate, the loss is older than the history,
// touches the last keyframe, or names frames never sent).
// Thread model: the streamer's encode thread.
class RefInvalidation {
 public:
  static constexpr size_t kHistory = 256;

  // After encoding wire frame `wire` as EncodedFrame::frame_index `encoded` (its
  // EncodedFrame::gap_hazard: losing it needs a keyframe).
  void encoded(uint32_t wire, uint32_t encoded, bool keyframe, bool gap_hazard = false) {
    slots_[wire % kHistory] = {wire, encoded, gap_hazard};
    newest_ = wire;
    if (keyframe)
      last_keyframe_ = wire;
  }

  // Before encoding the next frame: true if the encoder now references only
  // frames older than `first`; false means send a keyframe. The receiver
  // decodes none of first..newest (those after `last` referenced the lost ones),
  // so a gap hazard among them needs a keyframe too.
  bool invalidate(VideoEncoder& encoder, uint32_t first, uint32_t last) {
    if (first == 0 || last < first || first > newest_ || newest_ - first >= kHistory ||
        first <= last_keyframe_)
      return false;
    for (uint32_t w = first; w <= newest_; ++w)
      if (slots_[w % kHistory].gap_hazard)
        return false;
    const Slot& s = slots_[first % kHistory];
    return s.wire == first && encoder.invalidate_from(s.encoded);
  }

 private:
  struct Slot {
    uint32_t wire = 0, encoded = 0;
    bool gap_hazard = false;
  };
  std::array<Slot, kHistory> slots_{};
  uint32_t newest_ = 0, last_keyframe_ = 0;
};

}  // namespace pf::host
