// SPDX-License-Identifier: MIT OR Apache-2.0
// The GameStream control plane over real sockets on 127.0.0.1, driven by the
// OpenSSL test client exactly as Moonlight drives it: serverinfo over HTTP
// and HTTPS, full pairing, the certificate TLS presents = plaincert, refusal
// of unpaired certificates after a completed handshake, apps and launch as a
// paired client, and the paired-client store across a host restart.
#include "host/gamestream/service.h"

#include <unistd.h>

#include <future>
#include <thread>

#include <gtest/gtest.h>

#include <algorithm>

#include "base/goertzel.h"

#include "base/hex.h"
#include "client/decode/decoder.h"
#include "host/gamestream/test_client.h"
#include "net/udp_socket.h"
#include "proto/gamestream/control.h"
#include "proto/gamestream/rtsp.h"
#include "proto/gamestream/video.h"
#include "proto/native/frame_barcode.h"

#include <arpa/inet.h>
#include <enet/enet.h>
#include <opus/opus.h>

#include <cmath>

#include <netinet/in.h>
#include <sys/socket.h>
#include "proto/gamestream/audio.h"
#include "proto/gamestream/pairing.h"
#include "proto/gamestream/xml.h"

namespace pf::host::gamestream {
namespace {

namespace fs = std::filesystem;
using proto::gamestream::ClientPairing;
using proto::gamestream::parse_xml;
using proto::gamestream::XmlElement;

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("pf-gs-service-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    client_ = *crypto::make_self_signed_rsa("NVIDIA GameStream Client", 20, 2048, true);
    start();
  }
  void TearDown() override {
    svc_.reset();
    fs::remove_all(root_);
  }
  void start() {
    ServiceOptions o;
    o.paths = {root_ / "state", root_ / "config", root_ / "run"};
    o.bind_address = "127.0.0.1";
    o.nvhttp.http_port = 0;  // free ports
    o.nvhttp.https_port = 0;
    o.nvhttp.rtsp_port = 0;
    o.nvhttp.host_name = "svc-test";
    o.mdns = false;
    auto s = Service::start(o);
    ASSERT_TRUE(s) << s.error().to_string();
    svc_ = std::move(*s);
  }

  XmlElement get(const std::string& path,
                 const std::string& query,
                 bool https,
                 const crypto::PemIdentity* id = nullptr,
                 std::string* server_cert = nullptr) {
    auto r = http_get("127.0.0.1", https ? svc_->https_port() : svc_->http_port(),
                      path + "?uniqueid=0123456789ABCDEF&uuid=f00&" + query, https, id);
    EXPECT_TRUE(r) << (r ? "" : r.error().to_string());
    if (!r)
      return {};
    EXPECT_EQ(r->status, 200);
    if (server_cert)
      *server_cert = r->server_cert_pem;
    auto doc = parse_xml(r->body);
    EXPECT_TRUE(doc) << r->body;
    return doc ? *doc : XmlElement{};
  }

  bool pair(const std::string& client_pin, const std::string& host_pin) {
    ClientPairing c(client_.cert_pem, client_.key_pem, client_pin);
    auto phase1 = std::async(std::launch::async, [&] {
      return get("/pair",
                 "devicename=roth&updateState=1&phrase=getservercert&salt=" + c.salt_hex() +
                     "&clientcert=" + c.clientcert_hex(),
                 false);
    });
    // The host user enters the PIN while phase 1 waits; meanwhile the host
    // keeps answering other requests.
    while (!svc_->pins().waiting_device())
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    EXPECT_EQ(*get("/serverinfo", "", false).attribute("status_code"), "200");
    EXPECT_TRUE(svc_->pins().submit(host_pin));
    const auto r1 = phase1.get();
    if (r1.child_text("paired") != "1")
      return false;
    EXPECT_TRUE(c.on_plaincert(std::string(*r1.child_text("plaincert"))).is_ok());
    const auto r2 =
        get("/pair", "devicename=roth&updateState=1&clientchallenge=" + *c.clientchallenge_hex(),
            false);
    EXPECT_TRUE(c.on_challengeresponse(std::string(*r2.child_text("challengeresponse"))).is_ok());
    const auto r3 = get(
        "/pair",
        "devicename=roth&updateState=1&serverchallengeresp=" + *c.serverchallengeresp_hex(), false);
    const Status verdict = c.on_pairingsecret(std::string(*r3.child_text("pairingsecret")));
    const auto r4 = get(
        "/pair",
        "devicename=roth&updateState=1&clientpairingsecret=" + *c.clientpairingsecret_hex(), false);
    if (!verdict.is_ok() || r4.child_text("paired") != "1") {
      get("/unpair", "", false);  // as Moonlight does after any failure
      return false;
    }
    std::string presented;
    const auto r5 = get("/pair", "devicename=roth&updateState=1&phrase=pairchallenge", true,
                        &client_, &presented);
    // Moonlight pins the certificate it got as plaincert: TLS must present it.
    EXPECT_EQ(presented, c.host_cert_pem());
    return r5.child_text("paired") == "1";
  }

  fs::path root_;
  crypto::PemIdentity client_;
  std::unique_ptr<Service> svc_;
};

TEST_F(ServiceTest, ServerinfoOverHttpAndHttps) {
  const auto plain = get("/serverinfo", "", false);
  EXPECT_EQ(*plain.child_text("hostname"), "svc-test");
  EXPECT_EQ(*plain.child_text("LocalIP"), "127.0.0.1");
  EXPECT_EQ(*plain.child_text("HttpsPort"), std::to_string(svc_->https_port()));
  // HTTPS with an unknown certificate: the handshake completes, the answer is 401.
  const auto tls = get("/serverinfo", "", true, &client_);
  EXPECT_EQ(*tls.attribute("status_code"), "401");
  // And with no certificate at all.
  EXPECT_EQ(*get("/serverinfo", "", true).attribute("status_code"), "401");
}

TEST_F(ServiceTest, PairThenUseThenSurviveARestart) {
  ASSERT_TRUE(pair("5678", "5678"));
  const auto info = get("/serverinfo", "", true, &client_);
  EXPECT_EQ(*info.child_text("PairStatus"), "1");
  const auto apps = get("/applist", "", true, &client_);
  ASSERT_NE(apps.child("App"), nullptr);
  const std::string id(*apps.child("App")->child_text("ID"));
  auto png = http_get("127.0.0.1", svc_->https_port(),
                      "/appasset?uniqueid=0&uuid=1&appid=" + id + "&AssetType=2&AssetIdx=0", true,
                      &client_);
  ASSERT_TRUE(png);
  EXPECT_EQ(png->content_type, "image/png");
  const auto l = get("/launch",
                     "appid=" + id +
                         "&mode=1280x720x60&rikey=000102030405060708090A0B0C0D0E0F"
                         "&rikeyid=12&localAudioPlayMode=0&corever=1",
                     true, &client_);
  EXPECT_EQ(*l.child_text("sessionUrl0"),
            "rtspenc://127.0.0.1:" + std::to_string(svc_->rtsp_port()));
  EXPECT_EQ(*get("/cancel", "", true, &client_).child_text("cancel"), "1");

  // Restart: same identity, same paired client.
  const std::string host_id = svc_->identity().unique_id;
  const std::string host_cert = svc_->identity().cert_pem;
  svc_.reset();
  start();
  EXPECT_EQ(svc_->identity().unique_id, host_id);
  EXPECT_EQ(svc_->identity().cert_pem, host_cert);
  EXPECT_EQ(*get("/serverinfo", "", true, &client_).child_text("PairStatus"), "1");
  EXPECT_EQ(*get("/applist", "", true, &client_).attribute("status_code"), "200");
  // Unpairing from the host side locks the client out again.
  ASSERT_EQ(*svc_->clients().remove("roth"), 1u);
  EXPECT_EQ(*get("/applist", "", true, &client_).attribute("status_code"), "401");
}

// One RTSP request over its own TCP connection (Moonlight's way), encrypted.
std::string rtsp(uint16_t port,
                 const std::string& message,
                 proto::gamestream::RtspCipher& cipher,
                 uint32_t seq) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
  const auto sealed = cipher.seal(seq, message, false);
  ::send(fd, sealed.data(), sealed.size(), MSG_NOSIGNAL);
  std::string raw;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;)
    raw.append(buf, static_cast<size_t>(n));
  ::close(fd);
  auto plain = cipher.open(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(raw.data()), raw.size()), true);
  EXPECT_TRUE(plain) << message;
  return plain ? *plain : std::string();
}

std::string header_value(const std::string& reply, const std::string& name) {
  const size_t at = reply.find(name + ": ");
  if (at == std::string::npos)
    return {};
  const size_t start = at + name.size() + 2;
  return reply.substr(start, reply.find("\r\n", start) - start);
}

// Pair, launch, RTSP (encrypted), control stream (ENet), video pings, then
// reassemble the host's video with every 10th datagram dropped, decode nothing
// but check every access unit is a whole H.264 frame with the frame header,
// and end the session with /cancel (the client gets the termination message).
TEST_F(ServiceTest, StreamsVideoToAMoonlightStyleClient) {
  ASSERT_TRUE(pair("2468", "2468"));
  svc_->streamer().set_audio_source(Streamer::AudioSource::kTone);  // whatever the machine runs
  const auto apps = get("/applist", "", true, &client_);
  const std::string app(*apps.child("App")->child_text("ID"));
  const std::string rikey = "00112233445566778899AABBCCDDEEFF";
  const auto l = get("/launch",
                     "appid=" + app + "&mode=640x480x60&rikey=" + rikey +
                         "&rikeyid=12&localAudioPlayMode=0&corever=1",
                     true, &client_);
  ASSERT_EQ(*l.attribute("status_code"), "200");

  std::array<uint8_t, 16> key;
  for (int i = 0; i < 16; ++i)
    key[i] = static_cast<uint8_t>(std::stoi(rikey.substr(2 * i, 2), nullptr, 16));
  proto::gamestream::RtspCipher cipher(key);
  const uint16_t rp = svc_->rtsp_port();
  const std::string base = "X-GS-ClientVersion: 14\r\nHost: 127.0.0.1\r\n";
  uint32_t seq = 0;
  auto req = [&](const std::string& line, const std::string& extra = "",
                 const std::string& body = "") {
    std::string m = line + " RTSP/1.0\r\nCSeq: " + std::to_string(seq + 1) + "\r\n" + base + extra;
    if (!body.empty())
      m += "Content-type: application/sdp\r\nContent-length: " + std::to_string(body.size()) +
           "\r\n";
    ++seq;
    return rtsp(rp, m + "\r\n" + body, cipher, seq);
  };
  EXPECT_EQ(req("OPTIONS rtspenc://127.0.0.1:" + std::to_string(rp)).rfind("RTSP/1.0 200", 0), 0u);
  EXPECT_EQ(req("DESCRIBE rtspenc://127.0.0.1:" + std::to_string(rp)).rfind("RTSP/1.0 200", 0), 0u);
  const std::string a =
      req("SETUP streamid=audio/0/0", "Transport: unicast;X-GS-ClientPort=50000-50001\r\n");
  const std::string ping = header_value(a, "X-SS-Ping-Payload");
  ASSERT_EQ(ping.size(), 16u);
  const uint16_t audio_port =
      static_cast<uint16_t>(std::stoi(header_value(a, "Transport").substr(12)));
  const std::string v = req("SETUP streamid=video/0/0", "Session: x\r\n");
  const uint16_t video_port =
      static_cast<uint16_t>(std::stoi(header_value(v, "Transport").substr(12)));
  const std::string c = req("SETUP streamid=control/13/0", "Session: x\r\n");
  const uint16_t control_port =
      static_cast<uint16_t>(std::stoi(header_value(c, "Transport").substr(12)));
  const uint32_t connect_data =
      static_cast<uint32_t>(std::stoul(header_value(c, "X-SS-Connect-Data")));
  const std::string announce =
      "v=0\r\na=x-ml-general.featureFlags:3 \r\na=x-ss-general.encryptionEnabled:5 \r\n"
      "a=x-nv-video[0].clientViewportWd:640 \r\na=x-nv-video[0].clientViewportHt:480 \r\n"
      "a=x-nv-video[0].maxFPS:60 \r\na=x-nv-video[0].packetSize:1392 \r\n"
      "a=x-nv-vqos[0].bw.maximumBitrateKbps:4000 \r\n"
      "a=x-nv-video[0].videoEncoderSlicesPerFrame:1 \r\na=x-nv-video[0].maxNumReferenceFrames:0 "
      "\r\n"
      "a=x-nv-vqos[0].fec.minRequiredFecPackets:2 \r\n"
      "a=x-nv-audio.surround.numChannels:2 \r\na=x-nv-audio.surround.channelMask:3 \r\n"
      "a=x-nv-audio.surround.AudioQuality:0 \r\na=x-nv-vqos[0].bitStreamFormat:0 \r\n"
      "t=0 0\r\nm=video 47998  \r\n";
  EXPECT_EQ(
      req("ANNOUNCE streamid=control/13/0", "Session: x\r\n", announce).rfind("RTSP/1.0 200", 0),
      0u);
  EXPECT_EQ(req("PLAY /", "Session: x\r\n").rfind("RTSP/1.0 200", 0), 0u);

  // Control stream.
  ENetHost* enet = enet_host_create(nullptr, 1, 48, 0, 0);
  ENetAddress ea{};
  enet_address_set_host_ip(&ea, "127.0.0.1");
  ea.port = control_port;
  ENetPeer* peer = enet_host_connect(enet, &ea, 48, connect_data);
  ENetEvent ev;
  bool connected = false;
  for (int i = 0; i < 300 && !connected; ++i)
    if (enet_host_service(enet, &ev, 10) > 0 && ev.type == ENET_EVENT_TYPE_CONNECT)
      connected = true;
  ASSERT_TRUE(connected);
  proto::gamestream::ControlCipher control(key);
  std::mutex input_mu;
  std::vector<proto::native::InputDatagram> injected;  // a fake injector
  svc_->streamer().set_input_sink([&](const proto::native::InputDatagram& e) {
    std::lock_guard lock(input_mu);
    injected.push_back(e);
  });
  const auto start_a = control.seal({0x0302, {0, 0}}, false);
  enet_peer_send(peer, 0,
                 enet_packet_create(start_a.data(), start_a.size(), ENET_PACKET_FLAG_RELIABLE));
  // Key 'A' down (VK 0x41 | 0x8000), on the keyboard channel.
  const auto key_a =
      control.seal({0x0206, {0, 0, 0, 10, 3, 0, 0, 0, 0, 0x41, 0x80, 0, 0, 0}}, false);
  enet_peer_send(peer, 2,
                 enet_packet_create(key_a.data(), key_a.size(), ENET_PACKET_FLAG_RELIABLE));
  enet_host_flush(enet);

  // Video: ping, then receive and reassemble with 10 % loss (FEC rebuilds it);
  // decode every frame and read its barcode. Frames 60 and 61 are then "lost"
  // (never decoded): the client sends an RFI for them and skips frames until
  // the host's answer, a P-frame that references only older frames (type 5),
  // after which everything decodes right again without an IDR.
  auto sock = net::UdpSocket::open(net::Address::loopback_v4(0));
  ASSERT_TRUE(sock);
  const auto host_video = net::Address::loopback_v4(video_port);
  std::string ping_msg = ping + std::string("\0\0\0\1", 4);
  std::span<const uint8_t> ping_span(reinterpret_cast<const uint8_t*>(ping_msg.data()),
                                     ping_msg.size());
  ASSERT_TRUE(sock->send({&ping_span, 1}, &host_video));
  proto::gamestream::VideoReceiver rx(1392);
  net::RecvBatch batch(16);
  size_t frames = 0, datagrams = 0, idr = 0, rfi_answers = 0, decoded_after_rfi = 0;
  auto decoder = client::VideoDecoder::create(1);
  ASSERT_TRUE(decoder);
  proto::native::FrameBarcodeCheck barcodes;
  bool awaiting_rfi_answer = false, rfi_sent = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (frames < 130 && std::chrono::steady_clock::now() < deadline) {
    enet_host_service(enet, &ev, 0);  // keep the control stream alive
    if (!sock->receive(batch, 50).is_ok())
      continue;
    for (auto p : batch.packets()) {
      if (++datagrams % 10 == 0)
        continue;  // lost
      if (auto au = rx.push(p)) {
        ++frames;
        EXPECT_GE(au->size(), 4u);
        EXPECT_EQ((*au)[0] | (*au)[1] | (*au)[2], 0) << "Annex-B start code";
        const uint32_t type = rx.last_frame_type(), index = rx.last_frame_index();
        idr += type == 2;
        if (!rfi_sent && (index == 60 || index == 61)) {
          if (index == 61) {  // lost 60 and 61: RFI, LE32 first, LE32 0, LE32 last, 12 x 0
            std::vector<uint8_t> rfi(24, 0);
            rfi[0] = 60;
            rfi[8] = 61;
            const auto m = control.seal({0x0301, rfi}, false);
            enet_peer_send(peer, 0,
                           enet_packet_create(m.data(), m.size(), ENET_PACKET_FLAG_RELIABLE));
            enet_host_flush(enet);
            rfi_sent = awaiting_rfi_answer = true;
          }
          continue;
        }
        if (awaiting_rfi_answer) {
          if (type != 5 && type != 2)
            continue;  // references a lost frame: undecodable
          awaiting_rfi_answer = false;
          rfi_answers += type == 5;
        }
        auto pic = (*decoder)->decode(*au);
        ASSERT_TRUE(pic) << "frame " << index << ": " << pic.error().to_string();
        barcodes.check(
            proto::native::read_frame_barcode(pic->luma, pic->width, pic->height, pic->luma_stride),
            index);
        decoded_after_rfi += rfi_sent ? 1 : 0;
      }
    }
  }
  EXPECT_GE(frames, 120u);
  EXPECT_EQ(idr, 1u) << "the RFI was answered with an IDR";
  EXPECT_EQ(rfi_answers, 1u);
  EXPECT_GT(decoded_after_rfi, 40u);
  EXPECT_EQ(barcodes.wrong, 0u);
  EXPECT_EQ(barcodes.unreadable, 0u);
  EXPECT_GT(barcodes.ok, 100u);
  EXPECT_EQ(svc_->streamer().stats().rfi_honoured, 1u);

  // Audio: ping, receive 1 s of packets (every 7th datagram lost), decode the
  // Opus, and find the 440 Hz test tone.
  auto asock = net::UdpSocket::open(net::Address::loopback_v4(0));
  ASSERT_TRUE(asock);
  const auto host_audio = net::Address::loopback_v4(audio_port);
  ASSERT_TRUE(asock->send({&ping_span, 1}, &host_audio));
  proto::gamestream::AudioSenderConfig acfg;
  acfg.encrypt = true;
  acfg.key = key;
  acfg.rikeyid = 12;
  proto::gamestream::AudioReceiver arx(acfg);
  int err = 0;
  OpusDecoder* dec = opus_decoder_create(48000, 2, &err);
  ASSERT_EQ(err, OPUS_OK);
  std::vector<float> pcm;
  size_t adatagrams = 0;
  const auto adeadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (pcm.size() < 48000 * 2 && std::chrono::steady_clock::now() < adeadline) {
    enet_host_service(enet, &ev, 0);
    if (!asock->receive(batch, 50).is_ok())
      continue;
    for (auto p : batch.packets()) {
      if (++adatagrams % 7 == 3)
        continue;
      for (const auto& opus : arx.push(p)) {
        float out[960 * 2];
        const int n =
            opus_decode_float(dec, opus.data(), static_cast<opus_int32>(opus.size()), out, 960, 0);
        ASSERT_GT(n, 0);
        pcm.insert(pcm.end(), out, out + 2 * n);
      }
    }
  }
  opus_decoder_destroy(dec);
  ASSERT_GE(pcm.size(), 48000u * 2);
  auto power = [&](double hz) {  // the left channel, after the first 100 ms
    return goertzel_power(std::span<const float>(pcm).subspan(9600), hz, 48000, 2);
  };
  EXPECT_GT(power(440), 100 * power(1000));
  EXPECT_GT(arx.recovered(), 0u);
  EXPECT_GT(rx.recovered_shards(), 0u);
  EXPECT_GE(svc_->streamer().stats().idr_requests, 1u);

  // A PlayStation pad with accelerometer and gyro arrives (0x55000004 on the
  // pad's channel): the host asks for both sensors (0x5501).
  const auto ps_pad =
      control.seal({0x0206, {0, 0, 0, 12, 0x04, 0, 0, 0x55, 0, 2, 0x30, 0, 0, 0, 0, 0}}, false);
  enet_peer_send(peer, 0x10,
                 enet_packet_create(ps_pad.data(), ps_pad.size(), ENET_PACKET_FLAG_RELIABLE));
  enet_host_flush(enet);
  std::vector<std::vector<uint8_t>> motion_asks;
  for (int i = 0; i < 300 && motion_asks.size() < 2; ++i)
    if (enet_host_service(enet, &ev, 10) > 0 && ev.type == ENET_EVENT_TYPE_RECEIVE) {
      auto m = control.open(std::span<const uint8_t>(ev.packet->data, ev.packet->dataLength), true);
      if (m && m->type == 0x5501)
        motion_asks.push_back(m->payload);
      enet_packet_destroy(ev.packet);
    }
  EXPECT_EQ(motion_asks, (std::vector<std::vector<uint8_t>>{{0, 0, 100, 0, 1}, {0, 0, 100, 0, 2}}));

  // /cancel ends the session: the client receives the termination message.
  EXPECT_EQ(*get("/cancel", "", true, &client_).child_text("cancel"), "1");
  bool terminated = false;
  for (int i = 0; i < 300 && !terminated; ++i) {
    if (enet_host_service(enet, &ev, 10) > 0 && ev.type == ENET_EVENT_TYPE_RECEIVE) {
      auto m = control.open(std::span<const uint8_t>(ev.packet->data, ev.packet->dataLength), true);
      terminated = m && m->type == 0x0109;
      enet_packet_destroy(ev.packet);
    }
  }
  EXPECT_TRUE(terminated);
  EXPECT_FALSE(svc_->streamer().active());
  {
    // The key press reached the injector, and was released at session end.
    std::lock_guard lock(input_mu);
    ASSERT_GE(injected.size(), 2u);
    EXPECT_EQ(injected[0].kind, static_cast<uint8_t>(proto::native::InputKind::kKeyDown));
    EXPECT_EQ(injected[0].code, 30u);  // KEY_A
    EXPECT_EQ(injected.back().kind, static_cast<uint8_t>(proto::native::InputKind::kKeyUp));
    EXPECT_TRUE(std::any_of(injected.begin(), injected.end(), [](const auto& e) {
      return e.kind == static_cast<uint8_t>(proto::native::InputKind::kGamepadArrival) &&
             e.code == 2u && e.flags == 0x30u;
    })) << "the arrival reached the input service";
  }
  enet_host_destroy(enet);
}

TEST_F(ServiceTest, WrongPinIsRefusedAndNothingIsStored) {
  EXPECT_FALSE(pair("1234", "9999"));
  EXPECT_TRUE(svc_->clients().list().empty());
  EXPECT_EQ(*get("/applist", "", true, &client_).attribute("status_code"), "401");
}

}  // namespace
}  // namespace pf::host::gamestream
