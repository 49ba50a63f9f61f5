// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/app/headless_audio.h"

#include <opus/opus_multistream.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "base/goertzel.h"

namespace pf::client {
namespace {
constexpr size_t kMaxSamples = 48000 * 10;
constexpr int kMaxFrame = 48 * 120;  // the longest Opus packet, per channel
}  // namespace

Result<std::unique_ptr<HeadlessAudio>> HeadlessAudio::create(int channels) {
  // The host's layouts (protocol section 6): stereo 1 stream 1 coupled,
  // 5.1 4/2, 7.1 5/3, channel mapping 0..C-1.
  int streams = 1, coupled = 1;
  if (channels == 6)
    streams = 4, coupled = 2;
  else if (channels == 8)
    streams = 5, coupled = 3;
  else if (channels != 2)
    return make_error(StatusCode::kInvalidArgument, "2, 6 or 8 audio channels");
  std::unique_ptr<HeadlessAudio> h(new HeadlessAudio());
  h->channels_ = channels;
  const unsigned char mapping[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  int err = 0;
  h->dec_ = opus_multistream_decoder_create(48000, channels, streams, coupled, mapping, &err);
  if (!h->dec_ || err != OPUS_OK)
    return make_error(StatusCode::kInternal, std::string("Opus decoder: ") + opus_strerror(err));
  return h;
}

HeadlessAudio::~HeadlessAudio() {
  if (dec_)
    opus_multistream_decoder_destroy(dec_);
}

void HeadlessAudio::on_audio(const proto::native::AudioDatagram& a) {
  std::lock_guard lock(mu_);
  const size_t ch = static_cast<size_t>(channels_);
  std::vector<float> pcm(ch * kMaxFrame);
  auto keep = [&](int frames) {
    if (pcm_sink_)
      pcm_sink_(pcm.data(), static_cast<size_t>(frames));
    for (int i = 0; i < frames; ++i)
      left_.push_back(pcm[ch * static_cast<size_t>(i)]);
    if (left_.size() >= 2 * kMaxSamples)  // the newest 10-20 s stay
      left_.erase(left_.begin(), left_.begin() + kMaxSamples);
  };
  // Gaps (up to 20 packets) are concealed with PLC, so time keeps its shape.
  if (started_ && a.seq != next_seq_) {
    const uint32_t gap = a.seq - next_seq_;
    if (gap < 20) {
      for (uint32_t i = 0; i < gap; ++i) {
        const int n = opus_multistream_decode_float(dec_, nullptr, 0, pcm.data(), 240, 0);
        if (n > 0)
          keep(n);
        ++r_.concealed;
      }
    }
  }
  started_ = true;
  next_seq_ = a.seq + 1;
  const int n = opus_multistream_decode_float(
      dec_, a.opus.data(), static_cast<opus_int32>(a.opus.size()), pcm.data(), kMaxFrame, 0);
  if (n < 0) {
    ++r_.decode_errors;
    return;
  }
  ++r_.packets;
  keep(n);
}

AudioReport HeadlessAudio::report() const {
  std::lock_guard lock(mu_);
  AudioReport r = r_;
  // Skip the first 100 ms (encoder and decoder warm-up).
  if (left_.size() > 4800 + 4800) {
    std::span<const float> body = std::span(left_).subspan(4800);
    double sum = 0;
    for (float x : body)
      sum += double{x} * x;
    r.rms = std::sqrt(sum / static_cast<double>(body.size()));
    double other = 0;
    for (double hz : {1000.0, 2000.0, 5000.0})
      other = std::max(other, goertzel_power(body, hz));
    r.tone_ratio = goertzel_power(body, 440) / std::max(other, 1e-30);
    // The strongest tone of the last 2 s kept.
    const auto tail = body.subspan(body.size() - std::min<size_t>(body.size(), 96000));
    const DominantTone t = dominant_tone(tail);
    r.dominant_hz = t.hz;
    r.dominant_purity = t.purity;
  }
  return r;
}

}  // namespace pf::client
