// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/gamestream/control.h"

#include <openssl/evp.h>

#include <gtest/gtest.h>

namespace pf::proto::gamestream {
namespace {

std::array<uint8_t, 16> key() {
  std::array<uint8_t, 16> k;
  for (int i = 0; i < 16; ++i)
    k[i] = static_cast<uint8_t>(0x10 + i);
  return k;
}

// A client message built with raw OpenSSL and the documented layout.
std::vector<uint8_t> client_message(uint32_t seq, uint16_t type, std::vector<uint8_t> payload) {
  std::vector<uint8_t> inner = {static_cast<uint8_t>(type), static_cast<uint8_t>(type >> 8),
                                static_cast<uint8_t>(payload.size()),
                                static_cast<uint8_t>(payload.size() >> 8)};
  inner.insert(inner.end(), payload.begin(), payload.end());
  const std::array<uint8_t, 12> iv = {static_cast<uint8_t>(seq),
                                      static_cast<uint8_t>(seq >> 8),
                                      static_cast<uint8_t>(seq >> 16),
                                      static_cast<uint8_t>(seq >> 24),
                                      0,
                                      0,
                                      0,
                                      0,
                                      0,
                                      0,
                                      'C',
                                      'C'};
  EXPECT_EQ(control_iv(seq, false), iv);
  const auto k = key();
  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  std::vector<uint8_t> ct(inner.size());
  std::array<uint8_t, 16> tag;
  int n = 0;
  EVP_EncryptInit_ex(c, EVP_aes_128_gcm(), nullptr, k.data(), iv.data());
  EVP_EncryptUpdate(c, ct.data(), &n, inner.data(), static_cast<int>(inner.size()));
  EVP_EncryptFinal_ex(c, ct.data() + n, &n);
  EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag.data());
  EVP_CIPHER_CTX_free(c);
  const uint16_t len = static_cast<uint16_t>(4 + 16 + inner.size());
  std::vector<uint8_t> out(24 + ct.size());
  const uint8_t head[8] = {1,
                           0,
                           static_cast<uint8_t>(len),
                           static_cast<uint8_t>(len >> 8),
                           static_cast<uint8_t>(seq),
                           static_cast<uint8_t>(seq >> 8),
                           static_cast<uint8_t>(seq >> 16),
                           static_cast<uint8_t>(seq >> 24)};
  std::copy(std::begin(head), std::end(head), out.begin());
  std::copy(tag.begin(), tag.end(), out.begin() + 8);
  std::copy(ct.begin(), ct.end(), out.begin() + 24);
  return out;
}

TEST(ControlTest, OpensWhatTheDocumentedClientSends) {
  ControlCipher host(key());
  auto m = host.open(client_message(0, 0x0302, {0, 0}));
  ASSERT_TRUE(m) << m.error().to_string();
  EXPECT_EQ(m->type, 0x0302);
  EXPECT_EQ(m->payload, (std::vector<uint8_t>{0, 0}));
  auto ping = host.open(client_message(5, 0x0200, {4, 0, 0, 0, 0, 0, 0, 0}));
  ASSERT_TRUE(ping);
  EXPECT_EQ(ping->payload.size(), 8u);
}

TEST(ControlTest, HostMessagesRoundTripWithHostIvAndIncreasingSequence) {
  ControlCipher host(key()), client(key());
  const auto a = host.seal(make_termination());
  const auto b = host.seal(make_rumble(1, 100, 200));
  EXPECT_EQ(a[4], 0);  // seq 0
  EXPECT_EQ(b[4], 1);  // seq 1
  auto t = client.open(a, true);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->type, 0x0109);
  EXPECT_EQ(t->payload, (std::vector<uint8_t>{0x80, 0x03, 0x00, 0x23}));  // big-endian
  auto r = client.open(b, true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->payload.size(), 10u);
  EXPECT_EQ(r->payload[4], 1);
  // A host message read with the client's IV direction fails.
  EXPECT_FALSE(client.open(a, false));
}

TEST(ControlTest, RefusesPlaintextRuntsLengthMismatchAndForgery) {
  ControlCipher host(key());
  auto good = client_message(1, 0x0206, {1, 2, 3});
  auto flipped = good;
  flipped.back() ^= 1;
  EXPECT_EQ(host.open(flipped).error().code(), StatusCode::kPermissionDenied);
  auto longer = good;
  longer.push_back(0);
  EXPECT_FALSE(host.open(longer));
  EXPECT_FALSE(host.open(std::vector<uint8_t>{0x02, 0x03, 0x02, 0x00, 0, 0}));  // V1 plaintext
  EXPECT_FALSE(host.open(std::vector<uint8_t>(10, 0)));
  auto marker = good;
  marker[0] = 2;
  EXPECT_FALSE(host.open(marker));
}

TEST(ControlTest, PayloadParsers) {
  const std::vector<uint8_t> rfi = {10, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0,
                                    0,  0, 0, 0, 0, 0, 0, 0, 0,  0, 0, 0};
  auto r = parse_invalidate_refs(rfi);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first, 10u);
  EXPECT_EQ(r->last, 20u);
  EXPECT_FALSE(parse_invalidate_refs(std::vector<uint8_t>(5)));
  std::vector<uint8_t> fec(21, 0);
  fec[3] = 7;    // frame 7
  fec[11] = 30;  // 30 data packets
  fec[18] = 20;
  auto f = parse_fec_status(fec);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->frame_index, 7u);
  EXPECT_EQ(f->data_packets, 30);
  EXPECT_EQ(f->fec_percent, 20);
  EXPECT_FALSE(parse_fec_status(std::vector<uint8_t>(20)));
  HdrMetadata h;
  h.primaries = {{{35400, 14600}, {8500, 39850}, {6550, 2300}}};
  h.white_point = {15635, 16450};
  h.max_luminance = 1000;
  h.min_luminance = 50;
  h.max_cll = 1000;
  h.max_fall = 400;
  h.max_full_frame = 400;
  const auto hdr = make_hdr_mode(true, h);
  EXPECT_EQ(hdr.payload.size(), 27u);
  EXPECT_EQ(hdr.payload[0], 1);
  EXPECT_EQ(hdr.payload[1], 35400 & 0xFF);  // red x first, little-endian
  EXPECT_EQ(hdr.payload[21], 1000 & 0xFF);  // MaxCLL at offset 21
  auto back = parse_hdr_mode(hdr.payload);
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->enabled);
  EXPECT_EQ(back->metadata, h);
  EXPECT_FALSE(parse_hdr_mode(std::vector<uint8_t>(26)));
  EXPECT_FALSE(parse_hdr_mode(make_hdr_mode(false, {}).payload)->enabled);
}

TEST(ControlTest, WhatTheHostDoesWithEachMessage) {
  using Kind = ControlAction::Kind;
  std::vector<uint8_t> rfi(24, 0);
  rfi[0] = 10;
  rfi[8] = 12;
  const auto a = decide_control(0x0301, rfi);
  EXPECT_EQ(a.kind, Kind::kInvalidateRefs);
  EXPECT_EQ(a.rfi.first, 10u);
  EXPECT_EQ(a.rfi.last, 12u);
  rfi[8] = 9;  // reversed: a keyframe answers it
  EXPECT_EQ(decide_control(0x0301, rfi).kind, Kind::kKeyframe);
  EXPECT_EQ(decide_control(0x0302, {}).kind, Kind::kKeyframe);
  const std::vector<uint8_t> input = {1, 2, 3};
  const auto in = decide_control(0x0206, input);
  EXPECT_EQ(in.kind, Kind::kInput);
  EXPECT_EQ(in.payload.data(), input.data());
  EXPECT_EQ(decide_control(0x5502, std::vector<uint8_t>(21, 0)).kind, Kind::kFecStatus);
  EXPECT_EQ(decide_control(0x5502, {}).kind, Kind::kLiveness);  // short: liveness only
  for (uint16_t t : {0x0200, 0x0307, 0x0350})
    EXPECT_EQ(decide_control(t, {}).kind, Kind::kLiveness) << t;
  EXPECT_EQ(decide_control(0x1234, {}).kind, Kind::kUnknown);
}

TEST(ControlTest, MotionEventsAreAskedForPerSensor) {
  // LE16 controller, LE16 rate, u8 sensor (protocol doc, 0x5501).
  const ControlMessage m = make_set_motion_event(3, 100, 2);
  EXPECT_EQ(m.type, 0x5501);
  EXPECT_EQ(m.payload, (std::vector<uint8_t>{3, 0, 100, 0, 2}));
}

}  // namespace
}  // namespace pf::proto::gamestream
