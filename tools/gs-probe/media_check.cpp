// SPDX-License-Identifier: MIT OR Apache-2.0
#include "media_check.h"

#include <opus/opus.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "client/app/frame_hash.h"

namespace {
constexpr size_t kRate = 48000, kMaxSamples = 10 * kRate;
}

MediaCheck::~MediaCheck() {
  if (hashes_)
    std::fclose(hashes_);
  if (opus_)
    opus_decoder_destroy(opus_);
}

pf::Status MediaCheck::dump_hashes(const std::string& path) {
  hashes_ = std::fopen(path.c_str(), "w");
  if (!hashes_)
    return pf::Status(pf::StatusCode::kUnavailable, path + ": " + std::strerror(errno));
  return pf::Status::ok();
}

pf::Status MediaCheck::decode_audio() {
  int err = 0;
  opus_ = opus_decoder_create(kRate, 2, &err);
  if (err != OPUS_OK)
    return pf::Status(pf::StatusCode::kInternal, opus_strerror(err));
  return pf::Status::ok();
}

void MediaCheck::on_access_unit(const std::vector<uint8_t>& au, uint32_t frame_index) {
  if (!hashes_ && !barcodes_on_)
    return;
  if (!video_) {
    // The stream begins with a keyframe and its parameters: after the start
    // code an SPS (H.264 NAL type 7) or VPS (HEVC NAL type 32); AV1 has no
    // start codes: a temporal delimiter (OBU type 2) or sequence header (1).
    const size_t i = au.size() > 4 && au[2] == 1 ? 3 : 4;
    const bool annex_b = au.size() > i && au[0] == 0 && au[1] == 0;
    const bool hevc = annex_b && ((au[i] >> 1) & 0x3f) == 32;
    const bool h264 = annex_b && (au[i] & 0x1f) == 7;
    const int obu_type = !au.empty() && (au[0] & 0x80) == 0 ? (au[0] >> 3) & 0xf : 0;
    const bool av1 = !annex_b && (obu_type == 1 || obu_type == 2);
    if (!hevc && !h264 && !av1) {
      ++decode_errors_;
      return;
    }
    auto d = pf::client::VideoDecoder::create(av1 ? 4 : hevc ? 2 : 1);  // software
    if (!d) {
      std::fprintf(stderr, "gs-probe: video decoder: %s\n", d.error().to_string().c_str());
      ++decode_errors_;
      return;
    }
    video_ = std::move(*d);
    codec_ = av1 ? "AV1" : hevc ? "HEVC" : "H.264";
  }
  auto p = video_->decode(au);
  if (!p) {
    decode_errors_ += p.error().code() == pf::StatusCode::kDataLoss ? 1 : 0;
    return;
  }
  width_ = p->width;
  height_ = p->height;
  pictures_444_ += p->stream_full_chroma ? 1 : 0;
  pictures_hdr_ += p->hdr_pq ? 1 : 0;
  if (p->hdr_metadata)
    stream_hdr_ = p->hdr_metadata;
  if (barcodes_on_) {
    namespace pn = pf::proto::native;
    barcodes_.check(pn::read_frame_barcode(p->luma, p->width, p->height, p->luma_stride),
                    frame_index);
    checker_.add(pf::client::picture_chroma_checker(*p));
  }
  if (!hashes_) {
    ++pictures_;
    return;
  }
  const auto c = pf::client::colour_sample(*p);
  std::fprintf(hashes_, "%llu %dx%d %016llx %d,%d,%d\n",
               static_cast<unsigned long long>(pictures_++), p->width, p->height,
               static_cast<unsigned long long>(pf::client::picture_hash(*p)), c.y, c.u, c.v);
  std::fflush(hashes_);
}

void MediaCheck::on_audio_packet(const std::vector<uint8_t>& opus) {
  if (!opus_)
    return;
  float pcm[2 * 5760];
  const int n =
      opus_decode_float(opus_, opus.data(), static_cast<opus_int32>(opus.size()), pcm, 5760, 0);
  for (int i = 0; i < n; ++i)
    left_.push_back(pcm[2 * i]);
  if (left_.size() >= 2 * kMaxSamples)  // the newest 10-20 s stay
    left_.erase(left_.begin(), left_.begin() + kMaxSamples);
}

pf::DominantTone MediaCheck::tone() const {
  if (left_.size() <= kRate / 10)
    return {};
  const std::span<const float> body = std::span(left_).subspan(kRate / 10);
  return pf::dominant_tone(body.subspan(body.size() - std::min<size_t>(body.size(), 2 * kRate)));
}
