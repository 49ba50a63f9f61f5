// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/gamestream/moonlight_client.h"

#include <arpa/inet.h>
#include <enet/enet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "base/endian.h"
#include "base/hex.h"
#include "host/gamestream/test_client.h"
#include "net/udp_socket.h"
#include "proto/gamestream/audio.h"
#include "proto/gamestream/control.h"
#include "proto/gamestream/h264_sps.h"
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
  // As Moonlight: a status other than 200 on the root is an error, told with the host's message.
  if (auto code = doc->attribute("status_code"); code && *code != "200")
    return make_error(StatusCode::kUnavailable,
                      fmt::format("{} refused: {} {}", path, *code,
                                  doc->attribute("status_message").value_or("")));
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
  if (!r2)
    return r2.error();
  if (!r2->child_text("challengeresponse"))
    return Status(StatusCode::kDataLoss, "no challengeresponse");
  if (auto st = c.on_challengeresponse(std::string(*r2->child_text("challengeresponse")));
      !st.is_ok())
    return st;
  auto r3 = get("/pair", q + "serverchallengeresp=" + *c.serverchallengeresp_hex(), false);
  if (!r3)
    return r3.error();
  if (!r3->child_text("pairingsecret"))
    return Status(StatusCode::kDataLoss, "no pairingsecret");
  if (auto st = c.on_pairingsecret(std::string(*r3->child_text("pairingsecret"))); !st.is_ok()) {
    (void)get("/unpair", "", false);
    return st;
  }
  auto r4 = get("/pair", q + "clientpairingsecret=" + *c.clientpairingsecret_hex(), false);
  if (!r4)
    return r4.error();
  if (r4->child_text("paired") != "1")
    return Status(StatusCode::kPermissionDenied, "the host refused the pairing secret");
  auto r5 = get("/pair", q + "phrase=pairchallenge", true);
  if (!r5)
    return r5.error();
  if (r5->child_text("paired") != "1")
    return Status(StatusCode::kPermissionDenied, "pairchallenge over HTTPS failed");
  return Status::ok();
}

namespace {

Result<std::string> rtsp_exchange(const std::string& host,
                                  uint16_t port,
                                  const std::string& msg,
                                  proto::gamestream::RtspCipher& cipher,
                                  uint32_t seq) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
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

// What /launch or /resume and the RTSP handshake settled.
struct Negotiated {
  std::array<uint8_t, 16> key{};
  std::string ping;
  uint32_t connect_data = 0;
  uint16_t video_port = 0, audio_port = 0, control_port = 0;
  bool rfi_offered = false;
  proto::gamestream::StreamCodec codec = proto::gamestream::StreamCodec::kH264;
  uint32_t server_codec_modes = 1;  // serverinfo's ServerCodecModeSupport
  bool yuv444 = false;
  bool app_hdr = false;  // the app's IsHdrSupported
  bool hdr = false;
  int packet_size = 1392;
  std::chrono::steady_clock::time_point launched_at;  // when /launch or /resume was asked
};

namespace {

// As Moonlight: HDR only when the user wants it, the app supports it and serverinfo has HEVC
// Main10 (the 10-bit format HDR needs; the codec must then be HEVC).
bool hdr_wanted(const ClientStreamOptions& o, const Negotiated& n) {
  return o.hdr && o.hevc && n.app_hdr && (n.server_codec_modes & 0x200) != 0;
}

std::string announce_body(const std::string& host,
                          const ClientStreamOptions& o,
                          bool rfi,
                          proto::gamestream::StreamCodec codec,
                          bool yuv444,
                          bool hdr,
                          int packet_size) {
  // moonlight-common-c asks for unlimited reference frames only when the
  // host can invalidate them; otherwise one, so a loss costs one frame. It
  // leaves x-nv-clientSupportHevc out when it asks for AV1.
  const std::string hevc_line =
      codec == proto::gamestream::StreamCodec::kAv1
          ? ""
          : fmt::format("a=x-nv-clientSupportHevc:{} \r\n", o.hevc ? 1 : 0);
  return fmt::format(
      "v=0\r\no=android 0 14 IN IPv4 {0}\r\ns=NVIDIA Streaming Client\r\n"
      "a=x-ml-general.featureFlags:3 \r\na=x-ss-general.encryptionEnabled:5 \r\n"
      "a=x-ss-video[0].chromaSamplingType:{9} \r\n"
      "a=x-nv-video[0].clientViewportWd:{1} \r\na=x-nv-video[0].clientViewportHt:{2} \r\n"
      "a=x-nv-video[0].maxFPS:{3} \r\na=x-nv-video[0].packetSize:{4} \r\n"
      "a=x-nv-vqos[0].bw.maximumBitrateKbps:{5} \r\na=x-nv-vqos[0].fec.minRequiredFecPackets:2 \r\n"
      "a=x-nv-video[0].videoEncoderSlicesPerFrame:1 \r\na=x-nv-video[0].maxNumReferenceFrames:{6} "
      "\r\n"
      "a=x-nv-audio.surround.numChannels:2 \r\na=x-nv-audio.surround.channelMask:3 \r\n"
      "a=x-nv-audio.surround.AudioQuality:0 \r\na=x-nv-aqos.packetDuration:5 \r\n"
      "{7}a=x-nv-vqos[0].bitStreamFormat:{8} \r\na=x-nv-video[0].dynamicRangeMode:{10} \r\n"
      "t=0 0\r\nm=video 47998  \r\n",
      host, o.width, o.height, o.fps, packet_size, o.bitrate_kbps, rfi ? 0 : 1, hevc_line,
      static_cast<int>(codec), yuv444 ? 1 : 0, hdr ? 1 : 0);
}

}  // namespace

// The ENet control stream of one session, the client's side.
class ControlPeer {
 public:
  explicit ControlPeer(const std::array<uint8_t, 16>& key) : cipher_(key) {
    static std::once_flag once;
    std::call_once(once, [] { enet_initialize(); });
    enet_ = enet_host_create(nullptr, 1, 48, 0, 0);
  }
  ~ControlPeer() {
    if (enet_)
      enet_host_destroy(enet_);
  }
  bool connect(const std::string& host, uint16_t port, uint32_t data) {
    ENetAddress ea{};
    enet_address_set_host_ip(&ea, host.c_str());
    ea.port = port;
    peer_ = enet_host_connect(enet_, &ea, 48, data);
    ENetEvent ev;
    for (int i = 0; i < 500; ++i)
      if (enet_host_service(enet_, &ev, 10) > 0 && ev.type == ENET_EVENT_TYPE_CONNECT)
        return true;
    return false;
  }
  void send(uint16_t type, std::vector<uint8_t> payload, uint8_t channel) {
    const auto b = cipher_.seal({type, std::move(payload)}, false);
    enet_peer_send(peer_, channel,
                   enet_packet_create(b.data(), b.size(), ENET_PACKET_FLAG_RELIABLE));
    enet_host_flush(enet_);
  }
  // Services ENet for up to `ms`; returns a termination reason if one came.
  std::optional<uint32_t> poll(int ms) {
    ENetEvent ev;
    std::optional<uint32_t> reason;
    for (int r = enet_host_service(enet_, &ev, static_cast<enet_uint32>(ms)); r > 0;
         r = enet_host_service(enet_, &ev, 0)) {
      if (ev.type == ENET_EVENT_TYPE_DISCONNECT)
        disconnected_ = true;
      if (ev.type != ENET_EVENT_TYPE_RECEIVE)
        continue;
      auto m = cipher_.open(std::span<const uint8_t>(ev.packet->data, ev.packet->dataLength), true);
      enet_packet_destroy(ev.packet);
      if (m && m->type == 0x0109 && m->payload.size() >= 4)
        reason = load_be32(m->payload.data());
      if (m && m->type == 0x010e)
        if (auto h = proto::gamestream::parse_hdr_mode(m->payload)) {
          ++hdr_messages;
          last_hdr = *h;
        }
    }
    return reason;
  }
  // A graceful disconnect, waiting up to 2 s for the host's acknowledgement.
  void disconnect() {
    enet_peer_disconnect(peer_, 0);
    for (int i = 0; i < 200 && !disconnected_; ++i)
      (void)poll(10);
  }
  bool disconnected() const { return disconnected_; }
  uint32_t hdr_messages = 0;  // 0x010e received
  proto::gamestream::HdrMode last_hdr;

 private:
  ENetHost* enet_ = nullptr;
  ENetPeer* peer_ = nullptr;
  proto::gamestream::ControlCipher cipher_;
  bool disconnected_ = false;
};

Status MoonlightClient::cancel() {
  auto r = get("/cancel", "", true);
  if (!r)
    return r.error();
  return r->child_text("cancel") == "1" ? Status::ok()
                                        : Status(StatusCode::kFailedPrecondition, "cancel refused");
}

Result<ClientStreamResult> MoonlightClient::stream(const ClientStreamOptions& o) {
  auto apps = get("/applist", "", true);
  if (!apps)
    return tl::unexpected(apps.error());
  const XmlElement* app = apps->child("App");
  if (!app)
    return make_error(StatusCode::kNotFound, "no app to launch (not paired?)");
  Negotiated n;
  n.app_hdr = app->child_text("IsHdrSupported") == "1";
  if (o.yuv444 || o.hdr) {  // Moonlight has the host's serverinfo before it launches
    auto info = get("/serverinfo", "", true);
    if (!info)
      return tl::unexpected(info.error());
    n.server_codec_modes = static_cast<uint32_t>(
        std::strtoul(std::string(info->child_text("ServerCodecModeSupport").value_or("1")).c_str(),
                     nullptr, 10));
  }
  crypto::random_bytes(n.key);
  const std::string launch_q = fmt::format(
      "appid={}&mode={}x{}x{}&additionalStates=1&sops=0&rikey={}&rikeyid=7&localAudioPlayMode=0"
      "&surroundAudioInfo=196610&remoteControllersBitmap=0&gcmap=0&gcpersist=0&corever=1{}",
      *app->child_text("ID"), o.width, o.height, o.fps, to_hex(n.key),
      hdr_wanted(o, n) ? "&hdrMode=1&clientHdrCapVersion=0&clientHdrCapSupportedFlagsInUint32=0"
                         "&clientHdrCapMetaDataId=NV_STATIC_METADATA_TYPE_1"
                         "&clientHdrCapDisplayData=0x0x0x0x0x0x0x0x0x0x0"
                       : "");
  const char* verb = o.resume ? "/resume" : "/launch";
  n.launched_at = std::chrono::steady_clock::now();
  auto launched = get(verb, launch_q, true);
  if (!launched)
    return tl::unexpected(launched.error());
  if (launched->attribute("status_code") != "200")
    return make_error(
        StatusCode::kFailedPrecondition,
        fmt::format("{} refused: {} {}", verb, launched->attribute("status_code").value_or("?"),
                    launched->attribute("status_message").value_or("")));
  const std::string url(*launched->child_text("sessionUrl0"));
  if (auto st = handshake(url, o, n); !st.is_ok())
    return tl::unexpected(st);
  return run(o, n);
}

Status MoonlightClient::handshake(const std::string& url,
                                  const ClientStreamOptions& o,
                                  Negotiated& n) {
  const uint16_t rtsp_port =
      static_cast<uint16_t>(std::atoi(url.substr(url.rfind(':') + 1).c_str()));
  proto::gamestream::RtspCipher cipher(n.key);
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
  if (auto r = req(fmt::format("OPTIONS {}", url)); !r)
    return r.error();
  auto describe = req(fmt::format("DESCRIBE {}", url));
  if (!describe)
    return describe.error();
  // moonlight-common-c looks for this attribute in the host's SDP.
  n.rfi_offered = describe->find("x-nv-video[0].refPicInvalidation") != std::string::npos;
  using proto::gamestream::StreamCodec;
  n.codec = o.av1 && describe->find("a=rtpmap:98 AV1/90000") != std::string::npos
                ? StreamCodec::kAv1
            : o.hevc && describe->find("sprop-parameter-sets=AAAAAU") != std::string::npos
                ? StreamCodec::kHevc
                : StreamCodec::kH264;
  const uint32_t bit_444 = n.codec == StreamCodec::kAv1    ? 0x200000u
                           : n.codec == StreamCodec::kHevc ? 0x80000u
                                                           : 0x40000u;
  n.yuv444 = o.yuv444 && (n.server_codec_modes & bit_444) != 0;
  n.hdr = hdr_wanted(o, n) && n.codec == StreamCodec::kHevc;
  auto a = req("SETUP streamid=audio/0/0", "Transport: unicast;X-GS-ClientPort=50000-50001\r\n");
  if (!a)
    return a.error();
  auto v = req("SETUP streamid=video/0/0", "Session: x\r\n");
  auto c = req("SETUP streamid=control/13/0", "Session: x\r\n");
  if (!v || !c)
    return !v ? v.error() : c.error();
  n.ping = header_value(*a, "X-SS-Ping-Payload");
  n.connect_data = static_cast<uint32_t>(std::stoul(header_value(*c, "X-SS-Connect-Data")));
  n.audio_port = server_port(*a);
  n.video_port = server_port(*v);
  n.control_port = server_port(*c);
  if (auto r = req("ANNOUNCE streamid=control/13/0", "Session: x\r\n",
                   announce_body(host_, o, n.rfi_offered, n.codec, n.yuv444, n.hdr, n.packet_size));
      !r)
    return r.error();
  if (auto r = req("PLAY /", "Session: x\r\n"); !r)
    return r.error();
  return Status::ok();
}

Result<ClientStreamResult> MoonlightClient::run(const ClientStreamOptions& o, const Negotiated& n) {
  ControlPeer control(n.key);
  if (!control.connect(host_, n.control_port, n.connect_data))
    return make_error(StatusCode::kUnavailable, "control stream: no connection");
  control.send(0x0302, {0, 0}, 0);  // START_A
  control.send(0x0307, {0}, 0);     // START_B
  auto vs = net::UdpSocket::open(net::Address::any_v4(0));
  auto as = net::UdpSocket::open(net::Address::any_v4(0));
  if (!vs || !as)
    return make_error(StatusCode::kUnavailable, "cannot open client sockets");
  auto video_to = *net::Address::parse(host_, n.video_port);
  if (!o.video_via.empty()) {
    auto via = net::Address::parse(o.video_via);
    if (!via)
      return make_error(StatusCode::kInvalidArgument,
                        "video via " + o.video_via + ": " + via.error().message());
    video_to = *via;
  }
  const auto audio_to = *net::Address::parse(host_, n.audio_port);
  const std::string ping_msg = n.ping + std::string("\0\0\0\1", 4);
  const std::span<const uint8_t> ping_span(reinterpret_cast<const uint8_t*>(ping_msg.data()),
                                           ping_msg.size());
  proto::gamestream::VideoReceiver vrx(n.packet_size);
  proto::gamestream::AudioSenderConfig acfg;
  acfg.encrypt = true;
  acfg.key = n.key;
  acfg.rikeyid = 7;
  proto::gamestream::AudioReceiver arx(acfg);
  net::RecvBatch batch(16);
  ClientStreamResult res;
  waiting_for_recovery_ = false;
  res.rfi_offered = n.rfi_offered;
  res.codec = n.codec;
  res.yuv444 = n.yuv444;
  res.hdr = n.hdr;
  const auto start = std::chrono::steady_clock::now();
  auto last_ping = start - std::chrono::seconds(1);
  bool key_sent = false;
  std::optional<std::chrono::steady_clock::time_point> first_frame_at;
  uint32_t last_frame = 0;
  while (std::chrono::steady_clock::now() - start < std::chrono::duration<double>(o.seconds) &&
         !(o.stop && *o.stop)) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ping > std::chrono::milliseconds(500)) {
      (void)vs->send({&ping_span, 1}, &video_to);
      (void)as->send({&ping_span, 1}, &audio_to);
      control.send(0x0200, {4, 0, 0, 0, 0, 0, 0, 0}, 0);
      last_ping = now;
    }
    if (auto reason = control.poll(0)) {
      res.termination_reason = reason;
      res.early_termination = res.frames == 0;
      break;
    }
    if (vs->receive(batch, 5).is_ok())
      for (auto p : batch.packets())
        on_video(o, p, vrx, control, res, last_frame);
    if (res.frames > 0 && res.first_frame_ms < 0)  // on_access_unit (a decode) included
      res.first_frame_ms = std::chrono::duration<double, std::milli>(
                               std::chrono::steady_clock::now() - n.launched_at)
                               .count();
    if (o.max_frames > 0 && res.frames >= o.max_frames)
      break;
    if (as->receive(batch, 0).is_ok())
      for (auto p : batch.packets())
        for (const auto& opus : arx.push(p)) {
          ++res.audio_packets;
          if (o.on_audio_packet)
            o.on_audio_packet(opus);
        }
    if (res.frames > 0 && !first_frame_at)
      first_frame_at = std::chrono::steady_clock::now();
    if ((o.send_key_a || !o.type_text.empty()) && !key_sent && res.frames > 10 &&
        (o.type_now ? *o.type_now != 0
                    : std::chrono::steady_clock::now() - *first_frame_at >=
                          std::chrono::duration<double>(o.type_after))) {
      // A keyboard packet: its key down (3) or up (4) and virtual-key code.
      auto key = [&](uint8_t vk) {
        control.send(0x0206, {0, 0, 0, 10, 3, 0, 0, 0, 0, vk, 0x80, 0, 0, 0}, 2);
        control.send(0x0206, {0, 0, 0, 10, 4, 0, 0, 0, 0, vk, 0x80, 0, 0, 0}, 2);
      };
      if (o.type_text.empty())
        key(0x41);
      for (char ch : o.type_text)  // VK_A..VK_Z, VK_0..VK_9 and VK_SPACE are their ASCII codes
        if (std::isalnum(static_cast<unsigned char>(ch)) || ch == ' ')
          key(static_cast<uint8_t>(std::toupper(static_cast<unsigned char>(ch))));
      key_sent = true;
    }
  }
  res.recovered_shards = vrx.recovered_shards();
  res.hdr_messages = control.hdr_messages;
  res.last_hdr_mode = control.last_hdr;
  if (res.termination_reason)
    return res;
  if (!o.quit) {
    control.disconnect();  // the app stays for a /resume
    return res;
  }
  // Quit: /cancel, then the host's termination message on the control stream.
  (void)get("/cancel", "", true);
  for (int i = 0; i < 300 && !res.terminated; ++i)
    res.terminated = control.poll(10).has_value();
  return res;
}

void MoonlightClient::on_video(const ClientStreamOptions& o,
                               std::span<const uint8_t> p,
                               proto::gamestream::VideoReceiver& vrx,
                               ControlPeer& peer,
                               ClientStreamResult& res,
                               uint32_t& last_frame) {
  ++res.datagrams;
  const uint32_t frame =
      p.size() >= 24 ? load_le32(p.data() + proto::gamestream::kRtpHeader + 4) : 0;
  if ((o.drop_every > 0 && res.datagrams % o.drop_every == 0) ||
      (o.lose_frame_every > 0 && frame > 1 && frame % o.lose_frame_every == 0)) {
    ++res.dropped;
    return;
  }
  auto au = vrx.push(p);
  if (!au)
    return;
  const uint32_t index = vrx.last_frame_index();
  if (last_frame != 0 && index > last_frame + 1) {
    // Frames last+1 .. index-1 never completed: as moonlight-common-c, ask
    // for their invalidation when the host offered it, else for a keyframe.
    res.frames_lost += index - last_frame - 1;
    if (res.rfi_offered) {
      std::vector<uint8_t> rfi(24, 0);
      store_le32(rfi.data(), last_frame + 1);
      store_le32(rfi.data() + 8, index - 1);
      peer.send(0x0301, std::move(rfi), 1);
      ++res.rfi_sent;
    } else {
      peer.send(0x0302, {0, 0}, 1);
      ++res.idr_requests_sent;
    }
    waiting_for_recovery_ = true;
  }
  last_frame = index;
  ++res.frames;
  const auto now = std::chrono::steady_clock::now();
  if (res.frames > 1)
    res.longest_gap_ms =
        std::max(res.longest_gap_ms,
                 std::chrono::duration<double, std::milli>(now - last_frame_at_).count());
  last_frame_at_ = now;
  if (vrx.last_frame_type() == 2) {
    ++res.idr_frames;
    if (res.first_idr.empty()) {
      res.first_idr.assign(au->begin(), au->end());
      if (auto size = res.codec != proto::gamestream::StreamCodec::kH264
                          ? std::nullopt
                          : proto::gamestream::h264_picture_size(*au)) {
        res.width = size->width;
        res.height = size->height;
      }
    }
  }
  if (vrx.last_frame_type() == 5)
    ++res.frames_after_rfi;
  if (waiting_for_recovery_ && vrx.last_frame_type() != 2 && vrx.last_frame_type() != 5) {
    ++res.skipped_until_recovery;
    return;
  }
  waiting_for_recovery_ = false;
  if (o.on_access_unit)
    o.on_access_unit(*au, index);
}

}  // namespace pf::host::gamestream
