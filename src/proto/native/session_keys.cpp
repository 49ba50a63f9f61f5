// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/native/session_keys.h"

#include <algorithm>

#include "crypto/hkdf.h"

namespace pf::proto::native {

std::string video_exporter_label(uint8_t epoch) {
  std::string label = "EXPORTER-punktfunk-video";
  if (epoch > 0)
    label += "-" + std::to_string(epoch);
  return label;
}

std::array<uint8_t, 4> video_exporter_context(uint32_t session_id) {
  return {static_cast<uint8_t>(session_id), static_cast<uint8_t>(session_id >> 8),
          static_cast<uint8_t>(session_id >> 16), static_cast<uint8_t>(session_id >> 24)};
}

Result<DirectionKeys> derive_video_keys(std::span<const uint8_t> exporter, KeyDirection direction) {
  if (exporter.size() != kExporterBytes)
    return make_error(StatusCode::kInvalidArgument, "the video exporter must be 44 bytes");
  static constexpr uint8_t kH2c[] = {'h', '2', 'c'}, kC2h[] = {'c', '2', 'h'};
  auto okm = crypto::hkdf_expand_sha256(exporter,
                                        direction == KeyDirection::kHostToClient ? kH2c : kC2h, 44);
  if (!okm)
    return tl::unexpected(okm.error());
  DirectionKeys k;
  std::copy_n(okm->begin(), 32, k.key.begin());
  std::copy_n(okm->begin() + 32, 12, k.iv_base.begin());
  return k;
}

std::vector<uint8_t> cipher_key(const DirectionKeys& keys, uint8_t cipher) {
  const size_t n = cipher == 2 ? 32 : 16;
  return std::vector<uint8_t>(keys.key.begin(), keys.key.begin() + static_cast<long>(n));
}

}  // namespace pf::proto::native
