// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <map>
#include <string>

#include "base/status.h"
#include "host/encode/video_encoder.h"

// Low-latency settings per encoder backend, as data: which libavcodec encoder,
// which input format, which private options and context fields. A pure
// function, so every backend's settings are unit-tested here even where the
// hardware is missing (NVENC and VAAPI cannot run on the CI machine).
namespace pf::host {

// kX264 and kX265 are software (libx264, libx265 through libavcodec).
enum class EncoderBackend { kX264, kX265, kAom, kNvenc, kVaapi };

struct EncoderSettings {
  std::string encoder;  // libavcodec encoder name, e.g. "hevc_nvenc"
  // What frames must be (a libavutil pixel format name: "yuv420p", "nv12",
  // "p010le", "yuv444p", ...), or "vaapi" for VA surfaces of `sw_format`.
  std::string pixel_format;
  std::string sw_format;                       // vaapi: the surfaces' format ("nv12", "p010")
  std::string hw_device;                       // libavutil hwdevice type ("cuda", "vaapi") or ""
  std::map<std::string, std::string> options;  // private options (av_opt_set)
  // The codec context's own options (colour description, profile number).
  std::map<std::string, std::string> context_options;
  int max_b_frames = 0;
  int gop = 0;             // frames; a huge value = IDR only on request
  int64_t bit_rate = 0;    // bit/s
  int rc_buffer_size = 0;  // bits: one frame of VBV
  bool low_delay_flag = true;
  int threads = 1;  // libavcodec thread_count
};

const char* to_string(EncoderBackend b);
const char* to_string(VideoCodec c);

// kUnimplemented for combinations that do not exist (e.g. AV1 on x264, 10-bit
// H.264, 4:4:4 on VA-API or NVENC's AV1), with the reason.
Result<EncoderSettings> settings_for(EncoderBackend backend, const EncoderConfig& config);

}  // namespace pf::host
