// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/gamestream/rtsp_session.h"

#include <gtest/gtest.h>

namespace pf::proto::gamestream {
namespace {

RtspRequest req(std::string method, std::string target, std::string body = {}) {
  RtspRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.body = std::move(body);
  return r;
}

std::string header(const RtspResponse& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k == name)
      return v;
  return {};
}

constexpr const char* kAnnounce =
    "v=0\r\na=x-nv-video[0].clientViewportWd:1280 \r\na=x-nv-video[0].clientViewportHt:720 \r\n"
    "a=x-nv-video[0].maxFPS:60 \r\na=x-nv-video[0].packetSize:1392 \r\n"
    "a=x-nv-vqos[0].bw.maximumBitrateKbps:10000 \r\n"
    "a=x-nv-video[0].videoEncoderSlicesPerFrame:1 \r\na=x-nv-video[0].maxNumReferenceFrames:0 \r\n"
    "a=x-nv-audio.surround.numChannels:2 \r\na=x-nv-audio.surround.channelMask:3 \r\n"
    "a=x-nv-audio.surround.AudioQuality:0 \r\na=x-nv-vqos[0].bitStreamFormat:0 \r\n"
    "t=0 0\r\nm=video 47998  \r\n";

TEST(RtspSessionTest, TheWholeMoonlightSequence) {
  RtspSessionConfig cfg;
  cfg.audio_port = 1000;
  cfg.video_port = 1001;
  cfg.control_port = 1002;
  RtspSession s(cfg);
  EXPECT_EQ(s.ping_payload().size(), 16u);
  EXPECT_NE(s.connect_data(), 0u);
  EXPECT_EQ(s.handle(req("OPTIONS", "rtsp://0.0.0.0:48010")).status, 200);
  const auto d = s.handle(req("DESCRIBE", "rtspenc://1.2.3.4:48010"));
  EXPECT_EQ(d.status, 200);
  EXPECT_FALSE(d.body.empty());
  // ANNOUNCE before the SETUPs is refused.
  EXPECT_EQ(s.handle(req("ANNOUNCE", "streamid=control/13/0", kAnnounce)).status, 454);
  const auto a = s.handle(req("SETUP", "streamid=audio/0/0"));
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(header(a, "Transport"), "server_port=1000");
  EXPECT_EQ(header(a, "X-SS-Ping-Payload"), s.ping_payload());
  EXPECT_FALSE(header(a, "Session").empty());
  const auto v = s.handle(req("SETUP", "streamid=video/0/0"));
  EXPECT_EQ(header(v, "Transport"), "server_port=1001");
  const auto c = s.handle(req("SETUP", "streamid=control/13/0"));
  EXPECT_EQ(header(c, "Transport"), "server_port=1002");
  const std::string cd = header(c, "X-SS-Connect-Data");
  EXPECT_EQ(cd, std::to_string(s.connect_data()));
  EXPECT_NE(cd[0], '0');  // never zero-padded (octal)
  EXPECT_EQ(s.handle(req("SETUP", "streamid=bogus/0/0")).status, 404);
  EXPECT_EQ(s.handle(req("PLAY", "/")).status, 454);  // before ANNOUNCE
  EXPECT_EQ(s.handle(req("ANNOUNCE", "streamid=control/13/0", kAnnounce)).status, 200);
  ASSERT_TRUE(s.stream());
  EXPECT_EQ(s.stream()->width, 1280);
  EXPECT_FALSE(s.playing());
  EXPECT_EQ(s.handle(req("PLAY", "/")).status, 200);
  EXPECT_TRUE(s.playing());
  EXPECT_EQ(s.handle(req("TEARDOWN", "/")).status, 405);
}

TEST(RtspSessionTest, RefusesACodecTheHostCannotEncode) {
  // bitStreamFormat 1 = HEVC, 2 = AV1: each refused with 400 unless the host
  // offered it (DESCRIBE's marker), each taken when it did.
  for (const char* format : {"bitStreamFormat:1", "bitStreamFormat:2"}) {
    std::string body = kAnnounce;
    body.replace(body.find("bitStreamFormat:0"), 17, format);
    for (bool offered : {false, true}) {
      RtspSessionConfig c;
      c.caps.hevc = offered && format[16] == '1';
      c.caps.av1 = offered && format[16] == '2';
      RtspSession s(c);
      for (const char* t : {"streamid=audio/0/0", "streamid=video/0/0", "streamid=control/13/0"})
        s.handle(req("SETUP", t));
      const auto r = s.handle(req("ANNOUNCE", "streamid=control/13/0", body));
      EXPECT_EQ(r.status, offered ? 200 : 400) << format << (offered ? " offered" : "");
      ASSERT_EQ(s.stream().has_value(), offered) << format;
      if (offered) {
        EXPECT_EQ(s.stream()->codec, format[16] == '1' ? StreamCodec::kHevc : StreamCodec::kAv1);
      }
    }
  }
}

// chromaSamplingType 1 (4:4:4) is taken for a codec whose 4:4:4 the host
// offered (ServerCodecModeSupport) and refused with 400 for any other.
TEST(RtspSessionTest, RefusesFourFourFourForACodecTheHostDoesNotOfferItFor) {
  for (const char* format : {"bitStreamFormat:0", "bitStreamFormat:1", "bitStreamFormat:2"}) {
    std::string body = kAnnounce;
    body.replace(body.find("bitStreamFormat:0"), 17, format);
    body.insert(body.find("t=0 0"), "a=x-ss-video[0].chromaSamplingType:1 \r\n");
    const char codec = format[16];
    for (bool offered : {false, true}) {
      RtspSessionConfig c;
      c.caps.hevc = c.caps.av1 = true;
      // 4:4:4 offered for the asked codec, or for the other two only.
      c.caps.h264_444 = (codec == '0') == offered;
      c.caps.hevc_444 = (codec == '1') == offered;
      c.caps.av1_444 = (codec == '2') == offered;
      RtspSession s(c);
      for (const char* t : {"streamid=audio/0/0", "streamid=video/0/0", "streamid=control/13/0"})
        s.handle(req("SETUP", t));
      const auto r = s.handle(req("ANNOUNCE", "streamid=control/13/0", body));
      EXPECT_EQ(r.status, offered ? 200 : 400) << format << (offered ? " offered" : "");
      ASSERT_EQ(s.stream().has_value(), offered) << format;
      if (offered)
        EXPECT_TRUE(s.stream()->yuv444);
    }
  }
}

// dynamicRangeMode 1 (HDR) is taken for HEVC where the host offers HEVC Main10
// HDR, and refused with 400 where it does not, or for another codec.
TEST(RtspSessionTest, RefusesHdrWhereTheHostDoesNotStreamIt) {
  struct Case {
    const char* format;
    bool offered, taken;
  };
  for (const Case k :
       {Case{"bitStreamFormat:1", true, true}, Case{"bitStreamFormat:1", false, false},
        Case{"bitStreamFormat:0", true, false}}) {
    std::string body = kAnnounce;
    body.replace(body.find("bitStreamFormat:0"), 17, k.format);
    body.insert(body.find("t=0 0"), "a=x-nv-video[0].dynamicRangeMode:1 \r\n");
    RtspSessionConfig c;
    c.caps.hevc = true;
    c.caps.hevc_hdr = k.offered;
    RtspSession s(c);
    for (const char* t : {"streamid=audio/0/0", "streamid=video/0/0", "streamid=control/13/0"})
      s.handle(req("SETUP", t));
    const auto r = s.handle(req("ANNOUNCE", "streamid=control/13/0", body));
    EXPECT_EQ(r.status, k.taken ? 200 : 400) << k.format << (k.offered ? " offered" : "");
    if (k.taken)
      EXPECT_TRUE(s.stream()->hdr);
  }
}

}  // namespace
}  // namespace pf::proto::gamestream
