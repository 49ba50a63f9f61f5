// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/native/negotiation.h"

#include <gtest/gtest.h>

namespace pf::proto::native {
namespace {

Hello hello() {
  Hello h;
  h.width = 1920, h.height = 1080, h.fps_x100 = 6000;
  h.codecs = kCodecH264 | kCodecHevc;
  h.max_bitrate_kbps = 50'000;
  h.fec_fields = kFecGf8 | kFecGf16;
  h.ciphers = kCipherAes128Gcm | kCipherChaCha20;
  h.client_video_port = 40000;
  return h;
}

TEST(NegotiationTest, PicksTheBestCommonChoices) {
  HostCapabilities caps;
  auto w = negotiate(hello(), caps, 7, 50000);
  ASSERT_TRUE(w) << w.error().to_string();
  EXPECT_EQ(w->session_id, 7u);
  EXPECT_EQ(w->codec, kCodecHevc);
  EXPECT_EQ(w->width, 1920);
  EXPECT_EQ(w->height, 1080);
  EXPECT_EQ(w->fps_x100, 6000);
  EXPECT_EQ(w->fec_field, kFecGf16);
  EXPECT_EQ(w->cipher, kCipherAes128Gcm);
  EXPECT_EQ(w->host_video_port, 50000);
  EXPECT_EQ(w->initial_bitrate_kbps, 20'000u);
  EXPECT_EQ(w->fec_percent, 20);
  EXPECT_EQ(w->shard_bytes, 1408);
}

TEST(NegotiationTest, GrantsOnlyCapabilitiesBothEndsHave) {
  HostCapabilities caps;
  Hello h = hello();
  h.capabilities = kCapCursorChannel | 0x80;              // 0x80: a bit this host does not know
  EXPECT_EQ(negotiate(h, caps, 1, 1)->capabilities, 0u);  // the host does not serve it
  caps.capabilities = kCapCursorChannel;
  EXPECT_EQ(negotiate(h, caps, 1, 1)->capabilities, kCapCursorChannel);
  h.capabilities = 0;
  EXPECT_EQ(negotiate(h, caps, 1, 1)->capabilities, 0u);  // the client did not ask
}

TEST(NegotiationTest, TenBitOnlyForACodecTheHostMakesItOf) {
  HostCapabilities caps;
  caps.ten_bit_codecs = kCodecHevc | kCodecH264;  // (H.264 is never 10-bit, whatever is said)
  caps.codec_preference = {kCodecHevc, kCodecAv1, kCodecH264};
  Hello h = hello();
  h.capabilities = kCap10Bit;
  EXPECT_EQ(negotiate(h, caps, 1, 1)->capabilities, kCap10Bit);  // HEVC
  h.codecs = kCodecAv1;
  EXPECT_EQ(negotiate(h, caps, 1, 1)->capabilities, 0u);  // AV1: not 10-bit on this host
  h.codecs = kCodecH264;
  EXPECT_EQ(negotiate(h, caps, 1, 1)->capabilities, 0u);
  h.codecs = kCodecHevc;
  h.capabilities = 0;
  EXPECT_EQ(negotiate(h, caps, 1, 1)->capabilities, 0u);  // not asked
}

TEST(NegotiationTest, FourFourFourOnlyForACodecTheHostMakesItOf) {
  HostCapabilities caps;
  caps.chroma_444_codecs = kCodecH264;  // e.g. x264 High 4:4:4, no HEVC RExt
  caps.codec_preference = {kCodecHevc, kCodecH264};
  Hello h = hello();
  h.capabilities = kCap444;
  h.codecs = kCodecHevc | kCodecH264;
  EXPECT_EQ(negotiate(h, caps, 1, 1)->codec, kCodecHevc);  // the codec is chosen as without it
  EXPECT_EQ(negotiate(h, caps, 1, 1)->capabilities, 0u);   // ... and HEVC is 4:2:0 here
  h.codecs = kCodecH264;  // a client that wants 4:4:4 more than HEVC offers only H.264
  EXPECT_EQ(negotiate(h, caps, 1, 1)->capabilities, kCap444);
  caps.capabilities = kCap444;  // a host's general bits never grant it for the wrong codec
  h.codecs = kCodecHevc;
  EXPECT_EQ(negotiate(h, caps, 1, 1)->capabilities, 0u);
}

TEST(NegotiationTest, FourFourFourAndTenBitAreNeverGrantedTogether) {
  HostCapabilities caps;
  caps.chroma_444_codecs = kCodecHevc;
  caps.ten_bit_codecs = kCodecHevc;
  caps.capabilities = kCapCursorChannel;
  Hello h = hello();
  h.codecs = kCodecHevc;
  h.capabilities = kCap444 | kCap10Bit | kCapCursorChannel;
  EXPECT_EQ(negotiate(h, caps, 1, 1)->capabilities, kCap444 | kCapCursorChannel);
  caps.chroma_444_codecs = 0;  // no 4:4:4: the 10 bits asked for
  EXPECT_EQ(negotiate(h, caps, 1, 1)->capabilities, kCap10Bit | kCapCursorChannel);
}

TEST(NegotiationTest, HdrWithTenBitsForACodecWhosePicturesAreHdrHere) {
  HostCapabilities caps;
  caps.codec_preference = {kCodecHevc, kCodecH264};
  caps.ten_bit_codecs = kCodecHevc;
  caps.chroma_444_codecs = kCodecHevc | kCodecH264;
  Hello h = hello();
  h.codecs = kCodecHevc;
  h.capabilities = kCapHdr | kCap10Bit | kCap444;
  // No HDR source here: the next best that was asked for (4:4:4).
  EXPECT_EQ(negotiate(h, caps, 1, 1)->capabilities, kCap444);
  caps.hdr_codecs = kCodecHevc;
  EXPECT_EQ(negotiate(h, caps, 1, 1)->capabilities, kCapHdr | kCap10Bit);  // HDR wins
  h.capabilities = kCapHdr;  // HDR without the 10 bits it needs: not granted
  EXPECT_EQ(negotiate(h, caps, 1, 1)->capabilities, 0u);
  h.capabilities = kCapHdr | kCap10Bit;
  caps.ten_bit_codecs = 0;  // (a host that says HDR but makes no 10-bit stream)
  EXPECT_EQ(negotiate(h, caps, 1, 1)->capabilities, 0u);
  caps.ten_bit_codecs = kCodecHevc | kCodecH264;
  caps.hdr_codecs = kCodecHevc | kCodecH264;
  h.codecs = kCodecH264;  // never H.264
  EXPECT_EQ(negotiate(h, caps, 1, 1)->capabilities, 0u);
}

TEST(NegotiationTest, FollowsTheHostPreferenceAndTheClientLimits) {
  HostCapabilities caps;
  caps.codec_preference = {kCodecH264};  // a software-only host
  Hello h = hello();
  h.max_bitrate_kbps = 8000;
  h.fec_fields = kFecGf8;
  h.ciphers = kCipherChaCha20;
  auto w = negotiate(h, caps, 1, 1);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->codec, kCodecH264);
  EXPECT_EQ(w->initial_bitrate_kbps, 8000u);
  EXPECT_EQ(w->fec_field, kFecGf8);
  EXPECT_EQ(w->cipher, kCipherChaCha20);
}

TEST(NegotiationTest, RefusesWithReasons) {
  HostCapabilities caps;
  Hello h = hello();
  h.version = 2;
  EXPECT_EQ(negotiate(h, caps, 1, 1).error().code(), StatusCode::kUnimplemented);
  h = hello();
  h.codecs = kCodecAv1;
  EXPECT_FALSE(negotiate(h, caps, 1, 1));
  h = hello();
  h.width = 16000;
  auto e = negotiate(h, caps, 1, 1);
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message().find("exceeds"), std::string::npos);
  h = hello();
  h.height = 0;
  EXPECT_FALSE(negotiate(h, caps, 1, 1));
  h = hello();
  h.width = 1921;
  EXPECT_FALSE(negotiate(h, caps, 1, 1));
  h = hello();
  h.ciphers = 0;
  EXPECT_FALSE(negotiate(h, caps, 1, 1));
  h = hello();
  h.fec_fields = 0;
  EXPECT_FALSE(negotiate(h, caps, 1, 1));
  h = hello();
  h.fec_fields = kFecGf16;  // GF(2^8) is not optional: small blocks always use it
  auto w = negotiate(h, caps, 1, 1);
  ASSERT_FALSE(w);
  EXPECT_NE(w.error().message().find("GF(2^8)"), std::string::npos) << w.error().message();
}

}  // namespace
}  // namespace pf::proto::native
