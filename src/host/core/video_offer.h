// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <string>

#include "host/encode/encoder_factory.h"

// What video this host offers clients, settled once at start: H.264 (and its
// High 4:4:4) always; HEVC and AV1 by x265 and libaom with `software-codecs`
// (a slow CPU would give a capable client a worse stream than H.264;
// `punktfunk-host doctor` measures whether this one holds 1080p60, encoder_speed.h).
// Then a one-frame encode per codec, depth and chroma says what works
// (probe_encoders). Logs what it offers and why not.
// Thread model: a free function, called once from the host's start.
namespace pf::host {

struct VideoOffer {
  EncoderCaps caps;
  std::string why_hevc, why_av1;  // how HEVC / AV1 came to be offered ("software-codecs", ...)
};

VideoOffer settle_video_offer(bool software_codecs);

}  // namespace pf::host
