// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <span>

// What an ENet datagram arriving at the control-stream port asks for, read before ENet sees it:
// a CONNECT gets an ENet peer slot (a few dozen in all) and holds it until the handshake times
// out, so a flood of CONNECTs from strangers would leave no slot for a real client. The host lets
// a CONNECT through only when its connect data is one a launched session expects (the value the
// client learned over the encrypted RTSP handshake); ENet's wire format is big-endian, ENet 1.3:
//   header: u16 peerID (bit 15 sent-time present, bit 14 compressed, bits 12-13 session, 0-11 the
//           peer; 0xFFF: not yet connected), [u16 sentTime]; then commands, each beginning
//   command header: u8 command (low 4 bits; 2 = CONNECT), u8 channel, u16 reliable sequence;
//   CONNECT body: u16 outgoingPeerID, u8 incomingSessionID, u8 outgoingSessionID, u32 mtu,
//           windowSize, channelCount, incomingBandwidth, outgoingBandwidth, packetThrottleInterval,
//           packetThrottleAcceleration, packetThrottleDeceleration, connectID, data.
// Thread model: free functions.
namespace pf::proto::gamestream {

struct EnetDatagram {
  enum class Kind {
    kToPeer,     // addressed to an existing peer: ENet checks it against the peer's address
    kConnect,    // a CONNECT with its connect data
    kStrangers,  // to no peer and not a well-formed CONNECT (or compressed): nothing for a host
  };
  Kind kind = Kind::kStrangers;
  uint32_t connect_data = 0;  // kConnect only
};

inline constexpr uint16_t kEnetNoPeer = 0xFFF;
inline constexpr size_t kEnetConnectBytes = 48;  // command header + CONNECT body

EnetDatagram classify_enet_datagram(std::span<const uint8_t> datagram);

}  // namespace pf::proto::gamestream
