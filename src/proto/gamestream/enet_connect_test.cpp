// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/gamestream/enet_connect.h"

#include <vector>

#include <gtest/gtest.h>

namespace pf::proto::gamestream {
namespace {

using Kind = EnetDatagram::Kind;

// A CONNECT as ENet 1.3 sends it: peer 0xFFF with the sent-time flag, then the command.
std::vector<uint8_t> connect_datagram(uint32_t data, bool sent_time = true) {
  std::vector<uint8_t> d = {static_cast<uint8_t>((sent_time ? 0x80 : 0) | 0x0F), 0xFF};
  if (sent_time)
    d.insert(d.end(), {0x12, 0x34});
  d.insert(d.end(), {0x82, 0xFF, 0x00, 0x01});  // CONNECT | ACKNOWLEDGE, channel 0xFF, seq 1
  d.resize(d.size() + kEnetConnectBytes - 8, 0x5A);
  d.insert(d.end(), {static_cast<uint8_t>(data >> 24), static_cast<uint8_t>(data >> 16),
                     static_cast<uint8_t>(data >> 8), static_cast<uint8_t>(data)});
  return d;
}

TEST(EnetConnectTest, ACONNECTsConnectDataIsRead) {
  for (bool sent_time : {true, false}) {
    const auto r = classify_enet_datagram(connect_datagram(0xDEADBEEF, sent_time));
    EXPECT_EQ(r.kind, Kind::kConnect);
    EXPECT_EQ(r.connect_data, 0xDEADBEEFu);
  }
}

TEST(EnetConnectTest, DatagramsToAPeerAreLeftToENet) {
  auto d = connect_datagram(7);
  d[0] = 0x80;  // peer 5
  d[1] = 0x05;
  EXPECT_EQ(classify_enet_datagram(d).kind, Kind::kToPeer);
}

TEST(EnetConnectTest, AnythingElseToNoPeerIsForStrangers) {
  EXPECT_EQ(classify_enet_datagram({}).kind, Kind::kStrangers);
  EXPECT_EQ(classify_enet_datagram(std::vector<uint8_t>{0x8F}).kind, Kind::kStrangers);
  auto truncated = connect_datagram(7);
  truncated.pop_back();
  EXPECT_EQ(classify_enet_datagram(truncated).kind, Kind::kStrangers);
  auto other = connect_datagram(7);
  other[4] = 0x86;  // SEND_RELIABLE to no peer
  EXPECT_EQ(classify_enet_datagram(other).kind, Kind::kStrangers);
  auto compressed = connect_datagram(7);
  compressed[0] |= 0x40;
  EXPECT_EQ(classify_enet_datagram(compressed).kind, Kind::kStrangers);
}

}  // namespace
}  // namespace pf::proto::gamestream
