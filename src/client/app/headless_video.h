// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "client/decode/decoder.h"
#include "proto/native/chroma_checker.h"
#include "proto/native/frame_barcode.h"
#include "session/reassembler.h"

// The reference client's video sink without a window (--headless): decodes
// every frame the receiver hands out, checks the frame-index barcode when
// asked (the host's synthetic source draws it), asks for a keyframe after a
// loss, and records capture->received and capture->decoded latencies on the
// host clock (via the clock-sync offset).
// Thread model: on_event() on the receiver thread; report() from any thread.
namespace pf::client {

struct HeadlessReport {
  uint64_t decoded = 0, lost = 0, decode_errors = 0, skipped_until_keyframe = 0;
  uint64_t decoded_10bit = 0;  // pictures of a 10-bit stream (shown as 8-bit)
  uint64_t decoded_444 = 0;    // pictures of a 4:4:4 stream
  uint64_t decoded_hdr = 0;    // pictures tagged BT.2020 + PQ
  std::optional<proto::native::HdrMetadata> stream_hdr;  // the last the bitstream carried
  // With the barcode check: the synthetic source's 1-pixel red/blue checker
  // (proto/native/chroma_checker.h) — pictures that kept every pixel's colour, and that lost it.
  uint64_t checker_full = 0, checker_lost = 0;
  double checker_min_contrast = 0, checker_max_contrast = 0;
  uint64_t resumed_at_recovery = 0, resumed_at_keyframe = 0;  // after a loss
  uint64_t barcode_ok = 0, barcode_bad = 0, barcode_unreadable = 0;
  uint64_t barcode_host_skipped = 0;  // captures the host skipped (encoder busy)
  double received_ms_p50 = 0, received_ms_p99 = 0;
  double decoded_ms_p50 = 0, decoded_ms_p99 = 0;
  double decode_ms_p50 = 0, decode_ms_p99 = 0;
  // The longest time between two decoded pictures, after the first (a stall the user saw).
  double longest_gap_ms = 0;
  // From the host's 0xCE datagrams.
  uint64_t host_timings = 0;
  double host_encode_ms_p50 = 0, host_encode_ms_p99 = 0;
};

class HeadlessVideo {
 public:
  // host_offset_ns(): host clock minus client clock (0 until clock sync);
  // recover(first, last): after a loss or an undecodable frame, the frames
  // from `first` (the first one not decoded) to `last` are gone; the client
  // sends InvalidateRefs and decodes again from a keyframe or a recovery frame.
  HeadlessVideo(std::unique_ptr<VideoDecoder> decoder,
                bool check_barcode,
                std::function<int64_t()> host_offset_ns,
                std::function<void(uint32_t first, uint32_t last)> recover);
  void on_event(const session::ReassemblyEvent& e);
  // Also hand every decoded picture here (the window), on the receiver thread.
  void set_picture_sink(std::function<void(const DecodedPicture&)> sink) {
    picture_sink_ = std::move(sink);
  }
  // The host's per-frame timing (0xCE), from the QUIC thread.
  void on_host_timing(uint32_t frame_index,
                      uint32_t capture_to_encoded_us,
                      uint32_t encoded_to_sent_us);
  // One line per decoded frame, every stage in microseconds (tools/latency-probe):
  // frame,capture_to_encoded,encoded_to_sent,sent_to_reassembled,reassembled_to_decoded,capture_to_decoded
  Status write_csv(const std::string& path) const;
  HeadlessReport report() const;

 private:
  std::unique_ptr<VideoDecoder> decoder_;
  const bool check_barcode_;
  std::function<int64_t()> offset_;
  std::function<void(uint32_t, uint32_t)> recover_;
  std::function<void(const DecodedPicture&)> picture_sink_;
  bool need_keyframe_ = true;
  uint32_t last_good_ = 0;
  int64_t last_decoded_ns_ = 0;
  proto::native::FrameBarcodeCheck barcodes_;
  proto::native::ChromaCheckerTally checker_;
  mutable std::mutex mu_;
  HeadlessReport r_;
  std::vector<double> received_ms_, decoded_ms_, decode_ms_, host_encode_ms_;
  struct FrameTimes {
    uint32_t index = 0;
    double received_ms = 0, decoded_ms = 0;  // after capture, host clock
  };
  std::vector<FrameTimes> frames_;
  std::vector<std::array<uint32_t, 3>> host_timings_;  // index, capture->encoded, encoded->sent
};

}  // namespace pf::client
