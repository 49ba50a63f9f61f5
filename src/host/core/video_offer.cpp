// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/core/video_offer.h"

#include <malloc.h>

#include "base/log.h"

namespace pf::host {

VideoOffer settle_video_offer(bool software_codecs) {
  VideoOffer o;
  EncoderPolicy policy;
  if (software_codecs) {
    policy = {.software_hevc = true, .software_av1 = true};
    o.why_hevc = o.why_av1 = "software-codecs";
  } else {
    // No speed probe at start: 1080p x265/libaom encodes in the host's process raised its memory
    // plateau over many sessions (integration.churn, clean-clone CI); `doctor` measures instead.
    log_info(
        "video: HEVC and AV1 not offered: set software-codecs = true to offer them "
        "(`punktfunk-host doctor` says whether this CPU holds 1080p60 with them)");
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
  // The probes' encoders are gone, but malloc keeps what they freed: give it back before the
  // host starts serving.
  malloc_trim(0);
  return o;
}

}  // namespace pf::host
