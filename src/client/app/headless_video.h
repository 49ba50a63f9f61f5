// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "client/decode/decoder.h"
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
  uint64_t barcode_ok = 0, barcode_bad = 0, barcode_unreadable = 0;
  double received_ms_p50 = 0, received_ms_p99 = 0;
  double decoded_ms_p50 = 0, decoded_ms_p99 = 0;
  double decode_ms_p50 = 0, decode_ms_p99 = 0;
  // From the host's 0xCE datagrams.
  uint64_t host_timings = 0;
  double host_encode_ms_p50 = 0, host_encode_ms_p99 = 0;
};

class HeadlessVideo {
 public:
  // host_offset_ns(): host clock minus client clock (0 until clock sync);
  // request_idr(last_good): sent when a frame was lost.
  HeadlessVideo(std::unique_ptr<VideoDecoder> decoder,
                bool check_barcode,
                std::function<int64_t()> host_offset_ns,
                std::function<void(uint32_t)> request_idr);
  void on_event(const session::ReassemblyEvent& e);
  // Also hand every decoded picture here (the window), on the receiver thread.
  void set_picture_sink(std::function<void(const DecodedPicture&)> sink) {
    picture_sink_ = std::move(sink);
  }
  // The host's capture->encoded time of one frame (0xCE), from the QUIC thread.
  void on_host_timing(uint32_t capture_to_encoded_us);
  HeadlessReport report() const;

 private:
  std::unique_ptr<VideoDecoder> decoder_;
  const bool check_barcode_;
  std::function<int64_t()> offset_;
  std::function<void(uint32_t)> request_idr_;
  std::function<void(const DecodedPicture&)> picture_sink_;
  bool need_keyframe_ = true;
  uint32_t last_good_ = 0;
  mutable std::mutex mu_;
  HeadlessReport r_;
  std::vector<double> received_ms_, decoded_ms_, decode_ms_, host_encode_ms_;
};

}  // namespace pf::client
