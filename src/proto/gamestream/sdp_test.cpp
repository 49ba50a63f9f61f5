// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/gamestream/sdp.h"

#include <gtest/gtest.h>

namespace pf::proto::gamestream {
namespace {

// The example body of gamestream-protocol.md 4.5 (lines end in " \r\n").
std::string example_announce() {
  const char* attrs[] = {"x-ml-general.featureFlags:3",
                         "x-ss-general.encryptionEnabled:1",
                         "x-ss-video[0].chromaSamplingType:0",
                         "x-nv-video[0].clientViewportWd:1920",
                         "x-nv-video[0].clientViewportHt:1080",
                         "x-nv-video[0].maxFPS:60",
                         "x-nv-video[0].packetSize:1392",
                         "x-nv-video[0].rateControlMode:4",
                         "x-nv-video[0].timeoutLengthMs:7000",
                         "x-nv-video[0].framesWithInvalidRefThreshold:0",
                         "x-nv-video[0].initialBitrateKbps:16000",
                         "x-nv-video[0].initialPeakBitrateKbps:16000",
                         "x-nv-vqos[0].bw.minimumBitrateKbps:16000",
                         "x-nv-vqos[0].bw.maximumBitrateKbps:16000",
                         "x-ml-video.configuredBitrateKbps:20000",
                         "x-nv-vqos[0].fec.enable:1",
                         "x-nv-vqos[0].videoQualityScoreUpdateTime:5000",
                         "x-nv-vqos[0].qosTrafficType:5",
                         "x-nv-aqos.qosTrafficType:4",
                         "x-nv-general.featureFlags:135",
                         "x-nv-general.useReliableUdp:13",
                         "x-nv-vqos[0].fec.minRequiredFecPackets:2",
                         "x-nv-vqos[0].bllFec.enable:0",
                         "x-nv-vqos[0].drc.enable:0",
                         "x-nv-general.enableRecoveryMode:0",
                         "x-nv-video[0].videoEncoderSlicesPerFrame:1",
                         "x-nv-clientSupportHevc:1",
                         "x-nv-vqos[0].bitStreamFormat:1",
                         "x-nv-video[0].dynamicRangeMode:0",
                         "x-nv-video[0].maxNumReferenceFrames:0",
                         "x-nv-video[0].clientRefreshRateX100:6000",
                         "x-nv-audio.surround.numChannels:2",
                         "x-nv-audio.surround.channelMask:3",
                         "x-nv-audio.surround.enable:0",
                         "x-nv-audio.surround.AudioQuality:0",
                         "x-nv-aqos.packetDuration:5",
                         "x-nv-video[0].encoderCscMode:2"};
  std::string s = "v=0\r\no=android 0 14 IN IPv4 192.168.1.20\r\ns=NVIDIA Streaming Client\r\n";
  for (const char* a : attrs)
    s += std::string("a=") + a + " \r\n";
  s += "t=0 0\r\nm=video 47998  \r\n";
  return s;
}

TEST(SdpTest, ParsesTheDocumentedAnnounce) {
  auto c = parse_announce(example_announce());
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_EQ(c->width, 1920);
  EXPECT_EQ(c->height, 1080);
  EXPECT_EQ(c->fps, 60);
  EXPECT_EQ(c->refresh_x100, 6000);
  EXPECT_EQ(c->packet_size, 1392);
  EXPECT_EQ(c->max_bitrate_kbps, 16000);
  EXPECT_EQ(c->configured_bitrate_kbps, 20000);
  EXPECT_EQ(c->min_fec_packets, 2);
  EXPECT_EQ(c->codec, StreamCodec::kHevc);
  EXPECT_FALSE(c->hdr);
  EXPECT_EQ(c->audio_channels, 2);
  EXPECT_EQ(c->audio_channel_mask, 3u);
  EXPECT_EQ(c->audio_packet_ms, 5);
  EXPECT_EQ(c->encryption, kEncryptControlV2);  // legacy flags 135 lack 0x20
  EXPECT_EQ(c->client_features, 3u);
  EXPECT_EQ(c->encoder_csc_mode, 2);
  EXPECT_TRUE(c->qos_dscp);
  EXPECT_EQ(c->video_port, 47998);
}

TEST(SdpTest, MissingMandatoryAttributeIsNamed) {
  for (const char* name : {"x-nv-video[0].packetSize", "x-nv-audio.surround.numChannels",
                           "x-nv-vqos[0].bw.maximumBitrateKbps", "x-nv-video[0].maxFPS"}) {
    std::string body = example_announce();
    const size_t at = body.find(name);
    body.erase(at, body.find('\n', at) - at + 1);
    auto c = parse_announce(body);
    ASSERT_FALSE(c) << name;
    EXPECT_NE(c.error().message().find(name), std::string::npos);
  }
  std::string junk = example_announce();
  junk.replace(junk.find("maxFPS:60"), 9, "maxFPS:6x");
  EXPECT_FALSE(parse_announce(junk));
}

TEST(SdpTest, LegacyAudioEncryptionBitAndHex) {
  std::string body = example_announce();
  body.replace(body.find("featureFlags:135"), 16, "featureFlags:0xA7");  // 167 = 0x87 | 0x20
  auto c = parse_announce(body);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->encryption, kEncryptControlV2 | kEncryptAudio);
}

TEST(SdpTest, DescribeCarriesFlagsAndOnlyHonestCodecMarkers) {
  HostStreamCaps caps;
  std::string d = describe_body(caps);
  EXPECT_NE(d.find("a=x-ss-general.encryptionSupported:7\r\n"), std::string::npos);
  EXPECT_NE(d.find("a=x-ss-general.encryptionRequested:1\r\n"), std::string::npos);
  EXPECT_NE(d.find("a=x-ss-general.featureFlags:0\r\n"), std::string::npos);
  EXPECT_EQ(d.find("sprop-parameter-sets=AAAAAU"), std::string::npos);
  EXPECT_EQ(d.find("AV1/90000"), std::string::npos);
  EXPECT_NE(d.find("surround-params=642012453"), std::string::npos);
  EXPECT_NE(d.find("surround-params=85301245673"), std::string::npos);
  caps.hevc = caps.av1 = true;
  d = describe_body(caps);
  EXPECT_NE(d.find("sprop-parameter-sets=AAAAAU"), std::string::npos);
  EXPECT_NE(d.find("a=rtpmap:98 AV1/90000"), std::string::npos);
}

}  // namespace
}  // namespace pf::proto::gamestream
