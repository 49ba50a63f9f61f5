// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/core/video_offer.h"

#include <malloc.h>

#include <chrono>

#include <fmt/format.h>

#include "base/log.h"
#include "host/encode/encoder_speed.h"

namespace pf::host {
namespace {

constexpr int kProbeWidth = 1920, kProbeHeight = 1080, kProbeFps = 60;

// Whether `codec`'s software encoder holds 1920x1080@60 here; says so either way.
bool holds_real_time(VideoCodec codec, const char* encoder, std::string& why) {
  const char* name = codec == VideoCodec::kHevc ? "HEVC" : "AV1";
  const auto speed = measure_encoder_speed(codec, kProbeWidth, kProbeHeight, kProbeFps,
                                           std::chrono::milliseconds(300));
  if (!speed) {
    log_info("video: {} not offered: {}", name, speed.error().message());
    return false;
  }
  why = fmt::format("{} holds {}x{}@{} here: {:.1f} ms a frame", encoder, kProbeWidth, kProbeHeight,
                    kProbeFps, speed->ms_per_frame);
  if (speed->real_time)
    return true;
  log_info(
      "video: {} not offered: {} takes {:.1f} ms a {}x{} frame here ({} fps needs <= "
      "{:.1f}); set software-codecs = true to offer it anyway",
      name, encoder, speed->ms_per_frame, kProbeWidth, kProbeHeight, kProbeFps,
      0.8 * speed->interval_ms);
  return false;
}

}  // namespace

VideoOffer settle_video_offer(bool software_codecs) {
  VideoOffer o;
  EncoderPolicy policy;
  if (software_codecs) {
    policy = {.software_hevc = true, .software_av1 = true};
    o.why_hevc = o.why_av1 = "software-codecs";
  } else {
    policy.software_hevc = holds_real_time(VideoCodec::kHevc, "x265", o.why_hevc);
    policy.software_av1 = holds_real_time(VideoCodec::kAv1, "libaom", o.why_av1);
  }
  o.caps = probe_encoders(policy);
  if (!o.caps.h264_444)
    log_warn("video: H.264 High 4:4:4 cannot be offered: this libx264 does not make it");
  if (policy.software_hevc && o.caps.hevc)
    log_info("video: HEVC offered, by {} ({})", o.caps.hevc_encoder, o.why_hevc);
  else if (policy.software_hevc)
    log_warn("video: HEVC cannot be offered: {}", o.caps.hevc_why);
  if (policy.software_av1 && o.caps.av1)
    log_info("video: AV1 offered, by {} ({})", o.caps.av1_encoder, o.why_av1);
  else if (policy.software_av1)
    log_warn("video: AV1 cannot be offered: {}", o.caps.av1_why);
  if (o.caps.hevc_10bit)
    log_info("video: 10-bit HEVC (Main10) offered over punktfunk/1 ({})", o.why_hevc);
  // The probes' 1080p encoders are gone, but malloc keeps what they freed (40 MiB here, much of
  // it in their threads' arenas): give it back before the host starts serving.
  malloc_trim(0);
  return o;
}

}  // namespace pf::host
