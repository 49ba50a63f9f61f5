// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/goertzel.h"
#include "base/status.h"
#include "client/decode/decoder.h"
#include "proto/native/chroma_checker.h"
#include "proto/native/frame_barcode.h"

struct OpusDecoder;

// What gs-probe checks in what it received, like the reference client's
// --headless checks: decodes the H.264 or HEVC (libavcodec; which one the
// first access unit's first NAL unit tells: SPS or VPS) and writes one line per
// picture, `N WxH hash Y,U,V` (the colour a quarter in), checks frame-index barcodes, and
// decodes the Opus
// audio (stereo) to find its dominant tone.
// Thread model: one thread (the stream's).
class MediaCheck {
 public:
  ~MediaCheck();
  // Decode video and write the picture lines into `path`.
  pf::Status dump_hashes(const std::string& path);
  // Decode audio (keeps the newest 10-20 s of the left channel).
  pf::Status decode_audio();
  // Also read every picture's frame-index barcode (the host's synthetic source draws it).
  void check_barcodes() { barcodes_on_ = true; }
  void on_access_unit(const std::vector<uint8_t>& au, uint32_t frame_index);
  const pf::proto::native::FrameBarcodeCheck& barcodes() const { return barcodes_; }
  // With the barcodes: what the synthetic source's 1-pixel red/blue checker showed per picture.
  const pf::proto::native::ChromaCheckerTally& checker() const { return checker_; }
  uint64_t pictures_444() const { return pictures_444_; }
  // Pictures tagged BT.2020 + PQ, and the mastering metadata the stream's SEI carried last.
  uint64_t pictures_hdr() const { return pictures_hdr_; }
  const std::optional<pf::proto::native::HdrMetadata>& stream_hdr() const { return stream_hdr_; }
  void on_audio_packet(const std::vector<uint8_t>& opus);
  // The strongest tone of the last 2 s kept (after the first 100 ms).
  pf::DominantTone tone() const;
  uint64_t decode_errors() const { return decode_errors_; }
  uint64_t pictures() const { return pictures_; }
  const char* codec() const { return codec_; }
  // The size of the decoded pictures (0x0 before the first).
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  std::unique_ptr<pf::client::VideoDecoder> video_;
  std::FILE* hashes_ = nullptr;
  const char* codec_ = "none";
  uint64_t pictures_ = 0, decode_errors_ = 0;
  int width_ = 0, height_ = 0;
  bool barcodes_on_ = false;
  pf::proto::native::FrameBarcodeCheck barcodes_;
  pf::proto::native::ChromaCheckerTally checker_;
  uint64_t pictures_444_ = 0, pictures_hdr_ = 0;
  std::optional<pf::proto::native::HdrMetadata> stream_hdr_;
  OpusDecoder* opus_ = nullptr;
  std::vector<float> left_;
};
