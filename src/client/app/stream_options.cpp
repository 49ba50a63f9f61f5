// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/app/stream_options.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>

#include "proto/native/negotiation.h"

namespace pf::client {

Result<uint32_t> parse_bitrate_kbps(std::string_view text) {
  const auto bad = [&] {
    return make_error(StatusCode::kInvalidArgument,
                      "bitrate '" + std::string(text) +
                          "': kbit/s (20000) or bit/s with k, M or G (20M, 1.5G), 100k to 100G");
  };
  if (text.empty())
    return bad();
  std::string number(text);
  double scale = 1;  // kbit/s without a suffix
  switch (std::toupper(static_cast<unsigned char>(number.back()))) {
    case 'K':
      scale = 1;
      number.pop_back();
      break;
    case 'M':
      scale = 1e3;
      number.pop_back();
      break;
    case 'G':
      scale = 1e6;
      number.pop_back();
      break;
    default:
      break;
  }
  if (number.empty() || number.find_first_not_of("0123456789.") != std::string::npos)
    return bad();
  char* end = nullptr;
  const double v = std::strtod(number.c_str(), &end);
  if (end != number.c_str() + number.size() || !std::isfinite(v))
    return bad();
  const double kbps = v * scale;
  if (kbps < 100 || kbps > 100e6)
    return bad();
  return static_cast<uint32_t>(std::lround(kbps));
}

Result<uint8_t> parse_codecs(std::string_view text) {
  namespace pn = proto::native;
  if (text == "auto")
    return static_cast<uint8_t>(pn::kCodecH264 | pn::kCodecHevc | pn::kCodecAv1);
  if (text == "h264")
    return pn::kCodecH264;
  if (text == "hevc")
    return pn::kCodecHevc;
  if (text == "av1")
    return pn::kCodecAv1;
  return make_error(StatusCode::kInvalidArgument,
                    "codec '" + std::string(text) + "': auto, h264, hevc or av1");
}

}  // namespace pf::client
