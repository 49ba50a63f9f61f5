// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/gamestream/moonlight_client.h"

#include <arpa/inet.h>
#include <enet/enet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "base/hex.h"
#include "host/gamestream/test_client.h"
#include "net/udp_socket.h"
#include "proto/gamestream/audio.h"
#include "proto/gamestream/control.h"
#include "proto/gamestream/pairing.h"
#include "proto/gamestream/rtsp.h"
#include "proto/gamestream/video.h"

namespace pf::host::gamestream {

using proto::gamestream::XmlElement;

MoonlightClient::MoonlightClient(std::string host, uint16_t http_port, crypto::PemIdentity id)
    : host_(std::move(host)), http_port_(http_port), id_(std::move(id)) {}

Result<XmlElement> MoonlightClient::get(const std::string& path,
                                        const std::string& query,
                                        bool https) {
  if (https && https_port_ == 0) {
    auto info = get("/serverinfo", "", false);
    if (!info)
      return info;
    https_port_ = static_cast<uint16_t>(
        std::stoi(std::string(info->child_text("HttpsPort").value_or("47984"))));
  }
  auto r = http_get(host_, https ? https_port_ : http_port_,
                    path + "?uniqueid=0123456789ABCDEF&uuid=f00d&" + query, https,
                    https ? &id_ : nullptr, 120'000);
  if (!r)
    return tl::unexpected(r.error());
  auto doc = proto::gamestream::parse_xml(r->body);
  if (!doc)
    return tl::unexpected(doc.error());
  return doc;
}

Status MoonlightClient::pair(const std::string& pin, const std::string& device) {
  proto::gamestream::ClientPairing c(id_.cert_pem, id_.key_pem, pin);
  const std::string q = "devicename=" + device + "&updateState=1&";
  auto r1 = get(
      "/pair",
      q + "phrase=getservercert&salt=" + c.salt_hex() + "&clientcert=" + c.clientcert_hex(), false);
  if (!r1)
    return r1.error();
  if (r1->child_text("paired") != "1")
    return Status(
        StatusCode::kPermissionDenied,
        fmt::format("host refused pairing: {}", r1->attribute("status_message").value_or("")));
  if (auto st = c.on_plaincert(std::string(r1->child_text("plaincert").value_or(""))); !st.is_ok())
    return st;
  auto r2 = get("/pair", q + "clientchallenge=" + *c.clientchallenge_hex(), false);
  if (!r2 || !r2->child_text("challengeresponse"))
    return Status(StatusCode::kDataLoss, "no challengeresponse");
  if (auto st = c.on_challengeresponse(std::string(*r2->child_text("challengeresponse")));
      !st.is_ok())
    return st;
  auto r3 = get("/pair", q + "serverchallengeresp=" + *c.serverchallengeresp_hex(), false);
  if (!r3 || !r3->child_text("pairingsecret"))
    return Status(StatusCode::kDataLoss, "no pairingsecret");
  if (auto st = c.on_pairingsecret(std::string(*r3->child_text("pairingsecret"))); !st.is_ok()) {
    (void)get("/unpair", "", false);
    return st;
  }
  auto r4 = get("/pair", q + "clientpairingsecret=" + *c.clientpairingsecret_hex(), false);
  if (!r4 || r4->child_text("paired") != "1")
    return Status(StatusCode::kPermissionDenied, "the host refused the pairing secret");
  auto r5 = get("/pair", q + "phrase=pairchallenge", true);
  if (!r5 || r5->child_text("paired") != "1")
    return Status(StatusCode::kPermissionDenied, "pairchallenge over HTTPS failed");
  return Status::ok();
}

namespace {

Result<std::string> rtsp_exchange(const std::string& host,
                                  uint16_t port,
                                  const std::string& msg,
                                  proto::gamestream::RtspCipher& cipher,
                                  uint32_t seq) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  inet_pton(AF_INET, host.c_str(), &sa.sin_addr);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    ::close(fd);
    return make_error(StatusCode::kUnavailable, "RTSP connect failed");
  }
  const auto sealed = cipher.seal(seq, msg, false);
  ::send(fd, sealed.data(), sealed.size(), MSG_NOSIGNAL);
  std::string raw;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;)
    raw.append(buf, static_cast<size_t>(n));
  ::close(fd);
  auto plain = cipher.open(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(raw.data()), raw.size()), true);
  if (!plain)
    return tl::unexpected(plain.error());
  if (plain->rfind("RTSP/1.0 200", 0) != 0)
    return make_error(StatusCode::kFailedPrecondition,
                      fmt::format("RTSP refused: {}", plain->substr(0, plain->find('\r'))));
  return plain;
}

std::string header_value(const std::string& reply, const std::string& name) {
  const size_t at = reply.find(name + ": ");
  if (at == std::string::npos)
    return {};
  const size_t start = at + name.size() + 2;
  return reply.substr(start, reply.find("\r\n", start) - start);
}

uint16_t server_port(const std::string& reply) {
  const std::string t = header_value(reply, "Transport");
  const size_t at = t.find("server_port=");
  return at == std::string::npos ? 0 : static_cast<uint16_t>(std::atoi(t.c_str() + at + 12));
}

}  // namespace

Result<ClientStreamResult> MoonlightClient::stream(const ClientStreamOptions& o) {
  auto apps = get("/applist", "", true);
  if (!apps)
    return tl::unexpected(apps.error());
  const XmlElement* app = apps->child("App");
  if (!app)
    return make_error(StatusCode::kNotFound, "no app to launch (not paired?)");
  std::array<uint8_t, 16> key;
  crypto::random_bytes(key);
  const std::string launch_q = fmt::format(
      "appid={}&mode={}x{}x{}&additionalStates=1&sops=0&rikey={}&rikeyid=7&localAudioPlayMode=0"
      "&surroundAudioInfo=196610&remoteControllersBitmap=0&gcmap=0&gcpersist=0&corever=1",
      *app->child_text("ID"), o.width, o.height, o.fps, to_hex(key));
  auto launched = get("/launch", launch_q, true);
  if (!launched)
    return tl::unexpected(launched.error());
  if (launched->attribute("status_code") != "200")
    return make_error(
        StatusCode::kFailedPrecondition,
        fmt::format("launch refused: {}", launched->attribute("status_message").value_or("")));
  const std::string url(*launched->child_text("sessionUrl0"));
  const uint16_t rtsp_port =
      static_cast<uint16_t>(std::atoi(url.substr(url.rfind(':') + 1).c_str()));

  proto::gamestream::RtspCipher cipher(key);
  uint32_t seq = 0;
  auto req = [&](const std::string& line, const std::string& extra = "",
                 const std::string& body = "") {
    ++seq;
    std::string m =
        fmt::format("{} RTSP/1.0\r\nCSeq: {}\r\nX-GS-ClientVersion: 14\r\nHost: {}\r\n{}", line,
                    seq, host_, extra);
    if (!body.empty())
      m += fmt::format("Content-type: application/sdp\r\nContent-length: {}\r\n", body.size());
    return rtsp_exchange(host_, rtsp_port, m + "\r\n" + body, cipher, seq);
  };
  for (const char* line : {"OPTIONS", "DESCRIBE"})
    if (auto r = req(fmt::format("{} {}", line, url)); !r)
      return tl::unexpected(r.error());
  auto a = req("SETUP streamid=audio/0/0", "Transport: unicast;X-GS-ClientPort=50000-50001\r\n");
  if (!a)
    return tl::unexpected(a.error());
  auto v = req("SETUP streamid=video/0/0", "Session: x\r\n");
  auto c = req("SETUP streamid=control/13/0", "Session: x\r\n");
  if (!v || !c)
    return tl::unexpected(!v ? v.error() : c.error());
  const std::string ping = header_value(*a, "X-SS-Ping-Payload");
  const uint32_t connect_data =
      static_cast<uint32_t>(std::stoul(header_value(*c, "X-SS-Connect-Data")));
  const int packet_size = 1392;
  const std::string announce = fmt::format(
      "v=0\r\no=android 0 14 IN IPv4 {0}\r\ns=NVIDIA Streaming Client\r\n"
      "a=x-ml-general.featureFlags:3 \r\na=x-ss-general.encryptionEnabled:5 \r\n"
      "a=x-nv-video[0].clientViewportWd:{1} \r\na=x-nv-video[0].clientViewportHt:{2} \r\n"
      "a=x-nv-video[0].maxFPS:{3} \r\na=x-nv-video[0].packetSize:{4} \r\n"
      "a=x-nv-vqos[0].bw.maximumBitrateKbps:{5} \r\na=x-nv-vqos[0].fec.minRequiredFecPackets:2 \r\n"
      "a=x-nv-video[0].videoEncoderSlicesPerFrame:1 \r\na=x-nv-video[0].maxNumReferenceFrames:0 "
      "\r\n"
      "a=x-nv-audio.surround.numChannels:2 \r\na=x-nv-audio.surround.channelMask:3 \r\n"
      "a=x-nv-audio.surround.AudioQuality:0 \r\na=x-nv-aqos.packetDuration:5 \r\n"
      "a=x-nv-vqos[0].bitStreamFormat:0 \r\nt=0 0\r\nm=video 47998  \r\n",
      host_, o.width, o.height, o.fps, packet_size, o.bitrate_kbps);
  if (auto r = req("ANNOUNCE streamid=control/13/0", "Session: x\r\n", announce); !r)
    return tl::unexpected(r.error());
  if (auto r = req("PLAY /", "Session: x\r\n"); !r)
    return tl::unexpected(r.error());

  // Control stream.
  static std::once_flag once;
  std::call_once(once, [] { enet_initialize(); });
  ENetHost* enet = enet_host_create(nullptr, 1, 48, 0, 0);
  ENetAddress ea{};
  enet_address_set_host_ip(&ea, host_.c_str());
  ea.port = server_port(*c);
  ENetPeer* peer = enet_host_connect(enet, &ea, 48, connect_data);
  ENetEvent ev;
  bool connected = false;
  for (int i = 0; i < 500 && !connected; ++i)
    if (enet_host_service(enet, &ev, 10) > 0 && ev.type == ENET_EVENT_TYPE_CONNECT)
      connected = true;
  if (!connected) {
    enet_host_destroy(enet);
    return make_error(StatusCode::kUnavailable, "control stream: no connection");
  }
  proto::gamestream::ControlCipher control(key);
  auto send_control = [&](uint16_t type, std::vector<uint8_t> payload, uint8_t channel) {
    const auto b = control.seal({type, std::move(payload)}, false);
    enet_peer_send(peer, channel,
                   enet_packet_create(b.data(), b.size(), ENET_PACKET_FLAG_RELIABLE));
    enet_host_flush(enet);
  };
  send_control(0x0302, {0, 0}, 0);  // START_A
  send_control(0x0307, {0}, 0);     // START_B

  // Video and audio pings, then receive.
  auto vs = net::UdpSocket::open(net::Address::any_v4(0));
  auto as = net::UdpSocket::open(net::Address::any_v4(0));
  if (!vs || !as) {
    enet_host_destroy(enet);
    return make_error(StatusCode::kUnavailable, "cannot open client sockets");
  }
  const auto video_to = *net::Address::parse(host_, server_port(*v));
  const auto audio_to = *net::Address::parse(host_, server_port(*a));
  std::string ping_msg = ping + std::string("\0\0\0\1", 4);
  std::span<const uint8_t> ping_span(reinterpret_cast<const uint8_t*>(ping_msg.data()),
                                     ping_msg.size());
  proto::gamestream::VideoReceiver vrx(packet_size);
  proto::gamestream::AudioSenderConfig acfg;
  acfg.encrypt = true;
  acfg.key = key;
  acfg.rikeyid = 7;
  proto::gamestream::AudioReceiver arx(acfg);
  net::RecvBatch batch(16);
  ClientStreamResult res;
  const auto start = std::chrono::steady_clock::now();
  auto last_ping = start - std::chrono::seconds(1);
  bool key_sent = false;
  while (std::chrono::steady_clock::now() - start < std::chrono::duration<double>(o.seconds)) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ping > std::chrono::milliseconds(500)) {
      (void)vs->send({&ping_span, 1}, &video_to);
      (void)as->send({&ping_span, 1}, &audio_to);
      send_control(0x0200, {4, 0, 0, 0, 0, 0, 0, 0}, 0);
      last_ping = now;
    }
    while (enet_host_service(enet, &ev, 0) > 0)
      if (ev.type == ENET_EVENT_TYPE_RECEIVE)
        enet_packet_destroy(ev.packet);
    if (vs->receive(batch, 5).is_ok()) {
      for (auto p : batch.packets()) {
        ++res.datagrams;
        if (o.drop_every > 0 && res.datagrams % o.drop_every == 0) {
          ++res.dropped;
          continue;
        }
        if (auto au = vrx.push(p)) {
          ++res.frames;
          if (vrx.last_frame_type() == 2) {
            ++res.idr_frames;
            if (res.first_idr.empty())
              res.first_idr.assign(au->begin(), au->end());
          }
          if (o.on_access_unit)
            o.on_access_unit(*au);
        }
      }
    }
    if (as->receive(batch, 0).is_ok())
      for (auto p : batch.packets())
        res.audio_packets += arx.push(p).size();
    if (o.send_key_a && !key_sent && res.frames > 10) {
      send_control(0x0206, {0, 0, 0, 10, 3, 0, 0, 0, 0, 0x41, 0x80, 0, 0, 0}, 2);
      send_control(0x0206, {0, 0, 0, 10, 4, 0, 0, 0, 0, 0x41, 0x80, 0, 0, 0}, 2);
      key_sent = true;
    }
  }
  res.recovered_shards = vrx.recovered_shards();
  // Quit: /cancel, then the host's termination message on the control stream.
  (void)get("/cancel", "", true);
  for (int i = 0; i < 300 && !res.terminated; ++i) {
    if (enet_host_service(enet, &ev, 10) > 0 && ev.type == ENET_EVENT_TYPE_RECEIVE) {
      auto m = control.open(std::span<const uint8_t>(ev.packet->data, ev.packet->dataLength), true);
      res.terminated = m && m->type == 0x0109;
      enet_packet_destroy(ev.packet);
    }
  }
  enet_host_destroy(enet);
  return res;
}

}  // namespace pf::host::gamestream
