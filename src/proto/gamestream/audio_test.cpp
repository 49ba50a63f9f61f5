// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/gamestream/audio.h"

#include <gtest/gtest.h>

namespace pf::proto::gamestream {
namespace {

TEST(GsAudioTest, PacketLayoutAndTheDocumentedParityVector) {
  AudioSender tx({});
  // The document's audio FEC vector: 4-byte shards 00.., 10.., 20.., 30...
  std::vector<std::vector<uint8_t>> all;
  for (uint8_t b = 0; b < 4; ++b) {
    const std::vector<uint8_t> opus = {
        static_cast<uint8_t>(b * 0x10), static_cast<uint8_t>(b * 0x10 + 1),
        static_cast<uint8_t>(b * 0x10 + 2), static_cast<uint8_t>(b * 0x10 + 3)};
    for (auto& d : tx.packetize(opus))
      all.push_back(d);
  }
  ASSERT_EQ(all.size(), 6u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(all[i][0], 0x80);
    EXPECT_EQ(all[i][1], 97);
    EXPECT_EQ(all[i][3], i);      // seq
    EXPECT_EQ(all[i][7], 5 * i);  // ms timestamp, 5 ms packets
    EXPECT_EQ(all[i].size(), 12u + 4);
  }
  EXPECT_EQ(all[4][1], 127);
  EXPECT_EQ(all[4][12], 0);  // shard index
  EXPECT_EQ(all[5][12], 1);
  EXPECT_EQ(all[4][13], 97);
  EXPECT_EQ(all[4][15], 0);  // base seq
  EXPECT_EQ(std::vector<uint8_t>(all[4].begin() + 24, all[4].end()),
            (std::vector<uint8_t>{0x1a, 0x1b, 0x18, 0x19}));
  EXPECT_EQ(std::vector<uint8_t>(all[5].begin() + 24, all[5].end()),
            (std::vector<uint8_t>{0x90, 0x91, 0x92, 0x93}));
}

TEST(GsAudioTest, CbcWithPkcs7AndTheSequenceIv) {
  std::array<uint8_t, 16> key{};
  key[0] = 9;
  const std::vector<uint8_t> plain(16, 0x55);
  const auto c = audio_encrypt(key, 0xFFFFFFFF + 3u, plain);  // rikeyid + seq wraps
  EXPECT_EQ(c.size(), 32u);                                   // PKCS#7 always pads
  EXPECT_EQ(*audio_decrypt(key, 2u, c), plain);
  EXPECT_FALSE(audio_decrypt(key, 2u, std::vector<uint8_t>(15)));
}

class GsAudioRoundTrip : public ::testing::TestWithParam<bool> {};

TEST_P(GsAudioRoundTrip, OneLossPerBlockIsRebuilt) {
  AudioSenderConfig c;
  c.encrypt = GetParam();
  c.key[5] = 77;
  c.rikeyid = static_cast<uint32_t>(-1041977293);
  AudioSender tx(c);
  AudioReceiver rx(c);
  std::vector<std::vector<uint8_t>> sent, got;
  size_t n = 0;
  for (uint32_t i = 0; i < 400; ++i) {
    std::vector<uint8_t> opus(60, static_cast<uint8_t>(i));  // CBR: equal sizes
    opus[1] = static_cast<uint8_t>(i >> 8);
    sent.push_back(opus);
    for (auto& d : tx.packetize(opus)) {
      if (n++ % 6 == 2)
        continue;  // one of every six datagrams lost
      for (auto& o : rx.push(d))
        got.push_back(std::move(o));
    }
  }
  ASSERT_GE(got.size(), 396u);  // the last block may be incomplete
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_EQ(got[i], sent[i]) << i;
  EXPECT_GT(rx.recovered(), 50u);
}

INSTANTIATE_TEST_SUITE_P(PlainAndEncrypted, GsAudioRoundTrip, ::testing::Bool());

}  // namespace
}  // namespace pf::proto::gamestream
