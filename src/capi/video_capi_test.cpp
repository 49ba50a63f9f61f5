// SPDX-License-Identifier: MIT OR Apache-2.0
// The C ABI's argument checking and struct_size rules for the video plane and
// datagrams (the plain-C round trip lives in tests/c/dataplane_test.c).
#include <cstring>
#include <vector>

#include <gtest/gtest.h>

#include "punktfunk_core.h"

namespace {

PunktfunkConfig config() {
  PunktfunkConfig c{};
  c.struct_size = sizeof(c);
  EXPECT_EQ(punktfunk_config_init(&c), PUNKTFUNK_STATUS_OK);
  return c;
}

PunktfunkVideoKeys keys(uint8_t cipher) {
  PunktfunkVideoKeys k{};
  k.struct_size = sizeof(k);
  k.cipher = cipher;
  for (int i = 0; i < 32; ++i)
    k.key[i] = static_cast<uint8_t>(i);
  return k;
}

TEST(VideoCapiTest, RejectsBadArgumentsWithoutCrashing) {
  const auto c = config();
  auto k = keys(PUNKTFUNK_CIPHER_AES_128_GCM);
  PunktfunkSender* tx = nullptr;
  PunktfunkReceiver* rx = nullptr;
  EXPECT_EQ(punktfunk_sender_create(nullptr, &k, &tx), PUNKTFUNK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(punktfunk_sender_create(&c, nullptr, &tx), PUNKTFUNK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(punktfunk_sender_create(&c, &k, nullptr), PUNKTFUNK_STATUS_INVALID_ARGUMENT);
  auto small = k;
  small.struct_size = 8;
  EXPECT_EQ(punktfunk_receiver_create(&c, &small, &rx), PUNKTFUNK_STATUS_INVALID_ARGUMENT);
  auto reserved = k;
  reserved.reserved0[1] = 1;
  EXPECT_EQ(punktfunk_receiver_create(&c, &reserved, &rx), PUNKTFUNK_STATUS_INVALID_ARGUMENT);
  auto bad_shard = c;
  bad_shard.shard_bytes = 100;
  EXPECT_EQ(punktfunk_sender_create(&bad_shard, &k, &tx), PUNKTFUNK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(tx, nullptr);
  EXPECT_EQ(punktfunk_sender_submit(nullptr, nullptr, 0, 1, 0, 0, nullptr),
            PUNKTFUNK_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(punktfunk_receiver_poll(nullptr, 0, nullptr), PUNKTFUNK_STATUS_INVALID_ARGUMENT);
  punktfunk_sender_destroy(nullptr);
  punktfunk_receiver_destroy(nullptr);

  ASSERT_EQ(punktfunk_sender_create(&c, &k, &tx), PUNKTFUNK_STATUS_OK);
  const uint8_t frame[10] = {};
  EXPECT_EQ(punktfunk_sender_submit(tx, frame, sizeof frame, 0, 0, 0, nullptr),
            PUNKTFUNK_STATUS_INVALID_ARGUMENT);  // frame index 0
  EXPECT_EQ(punktfunk_sender_set_fec_percent(tx, 101), PUNKTFUNK_STATUS_INVALID_ARGUMENT);
  const uint8_t* p = nullptr;
  size_t n = 0;
  EXPECT_EQ(punktfunk_sender_packet(tx, 0, &p, &n), PUNKTFUNK_STATUS_OUT_OF_RANGE);
  punktfunk_sender_destroy(tx);

  ASSERT_EQ(punktfunk_receiver_create(&c, &k, &rx), PUNKTFUNK_STATUS_OK);
  PunktfunkEvent ev{};
  ev.struct_size = 4;
  EXPECT_EQ(punktfunk_receiver_poll(rx, 0, &ev), PUNKTFUNK_STATUS_INVALID_ARGUMENT);
  ev.struct_size = sizeof ev;
  EXPECT_EQ(punktfunk_receiver_poll(rx, 0, &ev), PUNKTFUNK_STATUS_UNAVAILABLE);
  PunktfunkReceiverStats st{};
  EXPECT_EQ(punktfunk_receiver_get_stats(rx, &st), PUNKTFUNK_STATUS_INVALID_ARGUMENT);
  punktfunk_receiver_destroy(rx);
}

TEST(VideoCapiTest, ChaChaRoundTripAndWrongKeyFails) {
  const auto c = config();
  auto k = keys(PUNKTFUNK_CIPHER_CHACHA20_POLY1305);
  PunktfunkSender* tx = nullptr;
  PunktfunkReceiver* rx = nullptr;
  PunktfunkReceiver* wrong = nullptr;
  ASSERT_EQ(punktfunk_sender_create(&c, &k, &tx), PUNKTFUNK_STATUS_OK);
  ASSERT_EQ(punktfunk_receiver_create(&c, &k, &rx), PUNKTFUNK_STATUS_OK);
  k.key[31] ^= 1;  // ChaCha uses all 32 bytes
  ASSERT_EQ(punktfunk_receiver_create(&c, &k, &wrong), PUNKTFUNK_STATUS_OK);
  std::vector<uint8_t> frame(50'000);
  for (size_t i = 0; i < frame.size(); ++i)
    frame[i] = static_cast<uint8_t>(i * 31);
  size_t count = 0;
  ASSERT_EQ(punktfunk_sender_submit(tx, frame.data(), frame.size(), 1, 5, 1, &count),
            PUNKTFUNK_STATUS_OK);
  for (size_t i = 0; i < count; ++i) {
    const uint8_t* p;
    size_t n;
    ASSERT_EQ(punktfunk_sender_packet(tx, i, &p, &n), PUNKTFUNK_STATUS_OK);
    PunktfunkPacketVerdict v;
    punktfunk_receiver_push(rx, p, n, 0, nullptr);
    punktfunk_receiver_push(wrong, p, n, 0, &v);
    EXPECT_EQ(v, PUNKTFUNK_PACKET_AUTH_FAILED);
  }
  PunktfunkEvent ev{};
  ev.struct_size = sizeof ev;
  ASSERT_EQ(punktfunk_receiver_poll(rx, 0, &ev), PUNKTFUNK_STATUS_OK);
  EXPECT_EQ(ev.kind, PUNKTFUNK_EVENT_FRAME);
  EXPECT_EQ(ev.keyframe, 1);
  EXPECT_EQ(ev.recovery, 0);
  EXPECT_EQ(ev.capture_us, 5u);
  ASSERT_EQ(ev.size, frame.size());
  EXPECT_EQ(std::memcmp(ev.data, frame.data(), frame.size()), 0);
  EXPECT_EQ(punktfunk_receiver_poll(wrong, 10'000'000, &ev), PUNKTFUNK_STATUS_UNAVAILABLE);
  punktfunk_sender_destroy(tx);
  punktfunk_receiver_destroy(rx);
  punktfunk_receiver_destroy(wrong);
}

TEST(VideoCapiTest, EveryDatagramTagRoundTrips) {
  const uint8_t opus[3] = {1, 2, 3};
  for (uint8_t tag = 0xC8; tag <= 0xCE; ++tag) {
    PunktfunkDatagram in{};
    in.struct_size = sizeof in;
    in.tag = tag;
    in.input_kind = 12;
    in.pad = 2;
    in.seq = 1234;
    in.code = 0xABCDEF;
    in.x = -1;
    in.y = 65535;
    in.flags = 7;
    in.low_motor = 100;
    in.high_motor = 200;
    in.duration_ms = 300;
    in.frame_index = 9;
    in.capture_to_encoded_us = 10;
    in.encoded_to_sent_us = 11;
    in.pts_ns = 1ull << 40;
    in.client_send_ns = 5;
    in.host_receive_ns = 6;
    in.host_send_ns = 7;
    in.payload = opus;
    in.payload_size = sizeof opus;
    uint8_t buf[128];
    size_t n = 0;
    ASSERT_EQ(punktfunk_datagram_encode(&in, buf, sizeof buf, &n), PUNKTFUNK_STATUS_OK);
    PunktfunkDatagram out{};
    out.struct_size = sizeof out;
    ASSERT_EQ(punktfunk_datagram_decode(buf, n, &out), PUNKTFUNK_STATUS_OK);
    EXPECT_EQ(out.tag, tag);
    // Re-encoding what was decoded gives the same bytes.
    uint8_t again[128];
    size_t m = 0;
    ASSERT_EQ(punktfunk_datagram_encode(&out, again, sizeof again, &m), PUNKTFUNK_STATUS_OK);
    ASSERT_EQ(m, n);
    EXPECT_EQ(std::memcmp(buf, again, n), 0) << int(tag);
  }
}

}  // namespace
