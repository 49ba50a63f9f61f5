// SPDX-License-Identifier: MIT OR Apache-2.0
// Any datagram at the GameStream control port, read before ENet sees it
// (`classify_enet_datagram`): never reads past the datagram, and what it calls a CONNECT is one
// (addressed to no peer, uncompressed, the CONNECT command, whole) with its last four bytes as
// the connect data.
#include <cstddef>
#include <cstdint>
#include <span>

#include "base/check.h"
#include "proto/gamestream/enet_connect.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pf::proto::gamestream;
  const auto r = classify_enet_datagram(std::span<const uint8_t>(data, size));
  if (r.kind != EnetDatagram::Kind::kConnect)
    return 0;
  PF_CHECK(size >= 2);
  const unsigned peer = (data[0] << 8 | data[1]) & 0x0FFF;
  PF_CHECK(peer == kEnetNoPeer && !(data[0] & 0x40));
  const size_t header = (data[0] & 0x80) ? 4 : 2;
  PF_CHECK(size >= header + kEnetConnectBytes && (data[header] & 0x0F) == 2);
  const uint8_t* d = data + header + kEnetConnectBytes - 4;
  PF_CHECK(r.connect_data ==
           (uint32_t{d[0]} << 24 | uint32_t{d[1]} << 16 | uint32_t{d[2]} << 8 | d[3]));
  return 0;
}
