// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/native/probe.h"

namespace pf::proto::native {

Result<ProbeCodec> ProbeCodec::create(uint8_t cipher, const DirectionKeys& client_to_host) {
  const auto algorithm =
      cipher == 2 ? crypto::AeadAlgorithm::kChaCha20Poly1305 : crypto::AeadAlgorithm::kAes128Gcm;
  const auto key = cipher_key(client_to_host, cipher);
  auto aead = crypto::Aead::create(algorithm, key);
  if (!aead)
    return tl::unexpected(aead.error());
  return ProbeCodec(std::move(*aead), client_to_host.iv_base);
}

std::array<uint8_t, kProbeBytes> ProbeCodec::seal(uint32_t session_id) {
  std::array<uint8_t, kProbeBytes> out{};
  VideoHeader h;
  h.type = PacketType::kClientProbe;
  h.packet_number = next_pn_++;
  h.frame_index = session_id;
  write_video_header(h, std::span<uint8_t, kVideoHeaderBytes>(out.data(), kVideoHeaderBytes));
  std::array<uint8_t, crypto::kNonceBytes> nonce;
  crypto::make_nonce(iv_, h.packet_number, nonce);
  aead_->seal(nonce, std::span(out).first(kVideoHeaderBytes), {}, out.data() + kVideoHeaderBytes);
  return out;
}

std::optional<uint64_t> ProbeCodec::open(std::span<const uint8_t> packet, uint32_t session_id) {
  if (packet.size() != kProbeBytes)
    return std::nullopt;
  auto h = parse_video_header(packet);
  if (!h || h->type != PacketType::kClientProbe || h->frame_index != session_id)
    return std::nullopt;
  std::array<uint8_t, crypto::kNonceBytes> nonce;
  crypto::make_nonce(iv_, h->packet_number, nonce);
  uint8_t scratch[1];
  if (!aead_->open(nonce, packet.first(kVideoHeaderBytes), packet.subspan(kVideoHeaderBytes),
                   scratch))
    return std::nullopt;
  return h->packet_number;
}

}  // namespace pf::proto::native
