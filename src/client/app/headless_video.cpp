// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/app/headless_video.h"
#include "client/app/frame_hash.h"

#include <algorithm>
#include <cstdio>
#include <unordered_map>

#include "base/clock.h"
#include "base/percentile.h"
#include "proto/native/frame_barcode.h"

namespace pf::client {

HeadlessVideo::HeadlessVideo(std::unique_ptr<VideoDecoder> decoder,
                             bool check_barcode,
                             std::function<int64_t()> host_offset_ns,
                             std::function<void(uint32_t, uint32_t)> recover)
    : decoder_(std::move(decoder)),
      check_barcode_(check_barcode),
      offset_(std::move(host_offset_ns)),
      recover_(std::move(recover)) {}

void HeadlessVideo::on_event(const session::ReassemblyEvent& e) {
  if (e.kind == session::ReassemblyEvent::Kind::kFrameLost) {
    {
      std::lock_guard lock(mu_);
      r_.lost += e.count;
    }
    // Later frames reference the lost one: everything after the last decoded
    // frame is gone for us. Ask the host to forget it and wait for a frame
    // that does not need it (a recovery frame or a keyframe).
    need_keyframe_ = true;
    if (recover_)
      recover_(last_good_ + 1, e.frame_index + e.count - 1);
    return;
  }
  if (need_keyframe_ && !e.keyframe && !e.recovery) {
    std::lock_guard lock(mu_);
    ++r_.skipped_until_keyframe;
    return;
  }
  if (need_keyframe_ && last_good_ > 0) {
    std::lock_guard lock(mu_);
    ++(e.keyframe ? r_.resumed_at_keyframe : r_.resumed_at_recovery);
  }
  need_keyframe_ = false;
  const int64_t offset = offset_ ? offset_() : 0;
  const int64_t t0 = SteadyClock::instance().now_ns();
  auto pic = decoder_->decode(e.data);
  const int64_t t1 = SteadyClock::instance().now_ns();
  if (pic && picture_sink_)
    picture_sink_(*pic);
  std::lock_guard lock(mu_);
  if (!pic) {
    if (pic.error().code() != StatusCode::kUnavailable) {
      ++r_.decode_errors;
      need_keyframe_ = true;
      if (recover_)
        recover_(last_good_ + 1, e.frame_index);
    }
    return;
  }
  ++r_.decoded;
  r_.decoded_10bit += pic->stream_bit_depth == 10 ? 1 : 0;
  r_.decoded_444 += pic->stream_full_chroma ? 1 : 0;
  r_.decoded_hdr += pic->hdr_pq ? 1 : 0;
  if (pic->hdr_metadata)
    r_.stream_hdr = pic->hdr_metadata;
  last_good_ = e.frame_index;
  if (last_decoded_ns_ != 0)
    r_.longest_gap_ms = std::max(r_.longest_gap_ms, (t1 - last_decoded_ns_) / 1e6);
  last_decoded_ns_ = t1;
  // Host-clock times: the capture stamp is the host's; ours plus the offset.
  const double capture_ms = static_cast<double>(e.capture_us) / 1000.0;
  received_ms_.push_back(static_cast<double>(e.done_us) / 1000.0 + offset / 1e6 - capture_ms);
  decoded_ms_.push_back((t1 + offset) / 1e6 - capture_ms);
  decode_ms_.push_back((t1 - t0) / 1e6);
  if (frames_.size() < 1'000'000)
    frames_.push_back(FrameTimes{e.frame_index, received_ms_.back(), decoded_ms_.back()});
  if (check_barcode_) {
    auto idx =
        proto::native::read_frame_barcode(pic->luma, pic->width, pic->height, pic->luma_stride);
    barcodes_.check(idx, e.frame_index);
    r_.barcode_ok = barcodes_.ok;
    r_.barcode_bad = barcodes_.wrong;
    r_.barcode_unreadable = barcodes_.unreadable;
    r_.barcode_host_skipped = barcodes_.host_skipped;
    checker_.add(picture_chroma_checker(*pic));
    r_.checker_full = checker_.full;
    r_.checker_lost = checker_.lost;
    r_.checker_min_contrast = std::max(0.0, checker_.min_contrast);
    r_.checker_max_contrast = checker_.max_contrast;
  }
}

void HeadlessVideo::on_host_timing(uint32_t frame_index,
                                   uint32_t capture_to_encoded_us,
                                   uint32_t encoded_to_sent_us) {
  std::lock_guard lock(mu_);
  if (host_encode_ms_.size() < 1'000'000) {
    host_encode_ms_.push_back(capture_to_encoded_us / 1000.0);
    host_timings_.push_back({frame_index, capture_to_encoded_us, encoded_to_sent_us});
  }
}

Status HeadlessVideo::write_csv(const std::string& path) const {
  std::lock_guard lock(mu_);
  std::unordered_map<uint32_t, std::array<uint32_t, 3>> host;
  for (const auto& t : host_timings_)
    host[t[0]] = t;
  FILE* f = std::fopen(path.c_str(), "w");
  if (!f)
    return Status(StatusCode::kUnavailable, "cannot write " + path);
  std::fprintf(f,
               "frame,capture_to_encoded_us,encoded_to_sent_us,sent_to_reassembled_us,"
               "reassembled_to_decoded_us,capture_to_decoded_us\n");
  for (const auto& fr : frames_) {
    auto it = host.find(fr.index);
    if (it == host.end())
      continue;  // its 0xCE datagram was lost
    const double enc = it->second[1], sent = it->second[2];
    const double received_us = fr.received_ms * 1000, decoded_us = fr.decoded_ms * 1000;
    std::fprintf(f, "%u,%.0f,%.0f,%.0f,%.0f,%.0f\n", fr.index, enc, sent, received_us - enc - sent,
                 decoded_us - received_us, decoded_us);
  }
  std::fclose(f);
  return Status::ok();
}

HeadlessReport HeadlessVideo::report() const {
  std::lock_guard lock(mu_);
  HeadlessReport r = r_;
  r.received_ms_p50 = percentile(received_ms_, 0.5);
  r.received_ms_p99 = percentile(received_ms_, 0.99);
  r.decoded_ms_p50 = percentile(decoded_ms_, 0.5);
  r.decoded_ms_p99 = percentile(decoded_ms_, 0.99);
  r.decode_ms_p50 = percentile(decode_ms_, 0.5);
  r.decode_ms_p99 = percentile(decode_ms_, 0.99);
  r.host_timings = host_encode_ms_.size();
  r.host_encode_ms_p50 = percentile(host_encode_ms_, 0.5);
  r.host_encode_ms_p99 = percentile(host_encode_ms_, 0.99);
  return r;
}

}  // namespace pf::client
