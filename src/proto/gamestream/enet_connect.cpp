// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/gamestream/enet_connect.h"

namespace pf::proto::gamestream {

namespace {

uint16_t be16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] << 8 | p[1]);
}
uint32_t be32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}

constexpr uint16_t kSentTime = 1u << 15, kCompressed = 1u << 14, kPeerMask = 0x0FFF;
constexpr uint8_t kCommandMask = 0x0F, kConnect = 2;

}  // namespace

EnetDatagram classify_enet_datagram(std::span<const uint8_t> d) {
  EnetDatagram out;
  if (d.size() < 2)
    return out;
  const uint16_t peer = be16(d.data());
  if ((peer & kPeerMask) != kEnetNoPeer) {
    out.kind = EnetDatagram::Kind::kToPeer;
    return out;
  }
  if (peer & kCompressed)
    return out;  // (a host without a compressor cannot read it either)
  const size_t header = (peer & kSentTime) ? 4 : 2;
  if (d.size() < header + kEnetConnectBytes || (d[header] & kCommandMask) != kConnect)
    return out;
  out.kind = EnetDatagram::Kind::kConnect;
  out.connect_data = be32(d.data() + header + kEnetConnectBytes - 4);
  return out;
}

}  // namespace pf::proto::gamestream
