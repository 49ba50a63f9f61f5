// SPDX-License-Identifier: MIT OR Apache-2.0
// The RTSP server over real TCP on 127.0.0.1, driven like Moonlight: one
// request per connection, the server closes after answering; plain and
// encrypted (rtspenc) handshakes; refusal without a pending launch.
#include "host/gamestream/rtsp_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "proto/gamestream/rtsp.h"

namespace pf::host::gamestream {
namespace {

using proto::gamestream::RtspCipher;

// Sends one message, reads until the server closes.
std::string exchange(uint16_t port, const std::string& message) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
  ::send(fd, message.data(), message.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;)
    out.append(buf, static_cast<size_t>(n));
  ::close(fd);
  return out;
}

constexpr const char* kAnnounceBody =
    "v=0\r\na=x-nv-video[0].clientViewportWd:1280 \r\na=x-nv-video[0].clientViewportHt:720 \r\n"
    "a=x-nv-video[0].maxFPS:60 \r\na=x-nv-video[0].packetSize:1392 \r\n"
    "a=x-nv-vqos[0].bw.maximumBitrateKbps:10000 \r\n"
    "a=x-nv-video[0].videoEncoderSlicesPerFrame:1 \r\na=x-nv-video[0].maxNumReferenceFrames:0 \r\n"
    "a=x-nv-audio.surround.numChannels:2 \r\na=x-nv-audio.surround.channelMask:3 \r\n"
    "a=x-nv-audio.surround.AudioQuality:0 \r\na=x-nv-vqos[0].bitStreamFormat:0 \r\n"
    "t=0 0\r\nm=video 47998  \r\n";

std::vector<std::string> moonlight_requests() {
  std::vector<std::string> r;
  int cseq = 0;
  auto req = [&](const std::string& line, const std::string& extra = "",
                 const std::string& body = "") {
    std::string m = line + " RTSP/1.0\r\nCSeq: " + std::to_string(++cseq) +
                    "\r\nX-GS-ClientVersion: 14\r\nHost: 127.0.0.1\r\n" + extra;
    if (!body.empty())
      m += "Content-type: application/sdp\r\nContent-length: " + std::to_string(body.size()) +
           "\r\n";
    r.push_back(m + "\r\n" + body);
  };
  req("OPTIONS rtsp://127.0.0.1:48010");
  req("DESCRIBE rtsp://127.0.0.1:48010", "Accept: application/sdp\r\n");
  req("SETUP streamid=audio/0/0", "Transport: unicast;X-GS-ClientPort=50000-50001\r\n");
  req("SETUP streamid=video/0/0", "Session: punktfunk\r\n");
  req("SETUP streamid=control/13/0", "Session: punktfunk\r\n");
  req("ANNOUNCE streamid=control/13/0", "Session: punktfunk\r\n", kAnnounceBody);
  req("PLAY /", "Session: punktfunk\r\n");
  return r;
}

class RtspServerTest : public ::testing::TestWithParam<bool> {
 protected:
  void start() {
    proto::gamestream::RtspSessionConfig cfg;
    cfg.video_port = 47998;
    auto s = RtspServer::start(
        "127.0.0.1", 0, cfg,
        [this] {
          std::lock_guard lock(mu_);
          return launches_;
        },
        [this](const StreamStart& st) {
          std::lock_guard lock(mu_);
          started_ = st;
          all_started_.push_back(st);
        });
    ASSERT_TRUE(s) << s.error().to_string();
    server_ = std::move(*s);
  }
  std::optional<StreamStart> started() {
    std::lock_guard lock(mu_);
    return started_;
  }
  std::mutex mu_;
  std::vector<LaunchSession> launches_;
  std::optional<StreamStart> started_;
  std::vector<StreamStart> all_started_;
  std::unique_ptr<RtspServer> server_;
};

TEST_P(RtspServerTest, FullHandshake) {
  const bool encrypted = GetParam();
  LaunchSession l;
  for (int i = 0; i < 16; ++i)
    l.request.rikey[i] = static_cast<uint8_t>(0xA0 + i);
  l.request.corever = encrypted ? 1 : 0;
  l.at = std::chrono::steady_clock::now();
  l.id = 1;
  launches_ = {l};
  start();
  RtspCipher cipher(l.request.rikey);
  uint32_t seq = 0;
  std::string ping;
  for (const auto& m : moonlight_requests()) {
    std::string reply;
    if (encrypted) {
      const auto sealed = cipher.seal(++seq, m, false);
      const std::string raw = exchange(server_->port(), std::string(sealed.begin(), sealed.end()));
      auto opened = cipher.open(
          std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(raw.data()), raw.size()), true);
      ASSERT_TRUE(opened) << opened.error().to_string();
      reply = *opened;
    } else {
      reply = exchange(server_->port(), m);
    }
    EXPECT_EQ(reply.rfind("RTSP/1.0 200 OK\r\nCSeq: ", 0), 0u) << m << "\n--\n" << reply;
    if (m.rfind("SETUP streamid=audio", 0) == 0) {
      const size_t at = reply.find("X-SS-Ping-Payload: ");
      ASSERT_NE(at, std::string::npos);
      ping = reply.substr(at + 19, 16);
    }
    if (m.rfind("DESCRIBE", 0) == 0) {
      EXPECT_NE(reply.find("x-ss-general.encryptionSupported"), std::string::npos);
    }
  }
  const auto started_now = started();
  ASSERT_TRUE(started_now);
  EXPECT_EQ(started_now->stream.width, 1280);
  EXPECT_EQ(started_now->ping_payload, ping);
  EXPECT_NE(started_now->connect_data, 0u);
  if (encrypted) {
    // Plaintext on an encrypted session is refused.
    const std::string r = exchange(server_->port(), moonlight_requests()[0]);
    EXPECT_EQ(r.rfind("RTSP/1.0 400", 0), 0u) << r;
  }
}

// Two clients' launches pending at once, their handshakes interleaved request
// by request: each request is answered by its own launch's handshake (the key
// that opens it), and each PLAY starts its own stream with its own ping
// payload and connect data.
TEST_F(RtspServerTest, TwoEncryptedHandshakesAtOnce) {
  LaunchSession a, b;
  for (int i = 0; i < 16; ++i) {
    a.request.rikey[i] = static_cast<uint8_t>(0xA0 + i);
    b.request.rikey[i] = static_cast<uint8_t>(0x10 + i);
  }
  a.request.corever = b.request.corever = 1;
  a.id = 7;
  b.id = 8;
  a.client_name = "a";
  b.client_name = "b";
  launches_ = {a, b};
  start();
  RtspCipher ca(a.request.rikey), cb(b.request.rikey);
  uint32_t seq = 0;
  auto send = [&](RtspCipher& c, const std::string& m) {
    const auto sealed = c.seal(++seq, m, false);
    const std::string raw = exchange(server_->port(), std::string(sealed.begin(), sealed.end()));
    auto opened = c.open(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(raw.data()), raw.size()), true);
    EXPECT_TRUE(opened) << "the reply is sealed with the request's launch key";
    return opened ? *opened : std::string();
  };
  std::string ping_a, ping_b;
  for (const auto& m : moonlight_requests()) {
    const std::string ra = send(ca, m), rb = send(cb, m);
    EXPECT_EQ(ra.rfind("RTSP/1.0 200 OK", 0), 0u) << m << ra;
    EXPECT_EQ(rb.rfind("RTSP/1.0 200 OK", 0), 0u) << m << rb;
    if (m.rfind("SETUP streamid=audio", 0) == 0) {
      ping_a = ra.substr(ra.find("X-SS-Ping-Payload: ") + 19, 16);
      ping_b = rb.substr(rb.find("X-SS-Ping-Payload: ") + 19, 16);
    }
  }
  EXPECT_NE(ping_a, ping_b);
  std::lock_guard lock(mu_);
  ASSERT_EQ(all_started_.size(), 2u);
  EXPECT_EQ(all_started_[0].launch.client_name, "a");
  EXPECT_EQ(all_started_[0].ping_payload, ping_a);
  EXPECT_EQ(all_started_[1].launch.client_name, "b");
  EXPECT_EQ(all_started_[1].ping_payload, ping_b);
  EXPECT_NE(all_started_[0].connect_data, all_started_[1].connect_data);
}

// A plain request belongs to a plain launch from its own address only.
TEST_F(RtspServerTest, PlainRequestsAreMatchedByAddress) {
  LaunchSession elsewhere;
  elsewhere.client_address = "192.0.2.9";
  launches_ = {elsewhere};
  start();
  EXPECT_EQ(exchange(server_->port(), moonlight_requests()[0]).rfind("RTSP/1.0 400", 0), 0u);
  {
    std::lock_guard lock(mu_);
    LaunchSession here;
    here.client_address = "127.0.0.1";
    here.id = 2;
    launches_.push_back(here);
  }
  EXPECT_EQ(exchange(server_->port(), moonlight_requests()[0]).rfind("RTSP/1.0 200", 0), 0u);
}

INSTANTIATE_TEST_SUITE_P(PlainAndEncrypted, RtspServerTest, ::testing::Bool());

TEST_F(RtspServerTest, NoPendingLaunchNoAnswer) {
  start();
  EXPECT_EQ(exchange(server_->port(), moonlight_requests()[0]), "");
}

TEST_F(RtspServerTest, GarbageGetsAClosedConnection) {
  launches_ = {LaunchSession{}};
  start();
  EXPECT_EQ(exchange(server_->port(), "\x01\x02garbage\r\n\r\n").rfind("RTSP/1.0 400", 0), 0u);
  // The server keeps serving afterwards.
  EXPECT_EQ(exchange(server_->port(), moonlight_requests()[0]).rfind("RTSP/1.0 200", 0), 0u);
}

// A neighbour's idle and half-sent connections while a launch is pending: the
// client's requests are still answered at once (the server used to read one
// connection at a time, 5 s each), and the idle ones are closed after 5 s.
TEST_F(RtspServerTest, IdleConnectionsHoldUpNoOtherRequest) {
  launches_ = {LaunchSession{}};
  start();
  auto open_from = [&](const char* from, const std::string& bytes) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in src{};
    src.sin_family = AF_INET;
    inet_pton(AF_INET, from, &src.sin_addr);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src), 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(server_->port());
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
    if (!bytes.empty())
      ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    return fd;
  };
  std::vector<int> idle;
  for (int i = 0; i < 30; ++i)
    idle.push_back(open_from("127.0.0.2", i % 2 ? "" : "OPTIONS rtsp://x RTSP/1.0\r\nCSe"));
  for (int i = 0; i < 10; ++i)
    idle.push_back(open_from(("127.0.0." + std::to_string(3 + i)).c_str(), ""));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(exchange(server_->port(), moonlight_requests()[0]).rfind("RTSP/1.0 200", 0), 0u);
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_LT(took, std::chrono::seconds(1));
  // 127.0.0.2 kept at most 8 of its 30; every idle one is closed by 5 s.
  size_t closed_at_once = 0;
  for (int i = 0; i < 30; ++i) {
    char c;
    const ssize_t r = ::recv(idle[static_cast<size_t>(i)], &c, 1, MSG_DONTWAIT);
    closed_at_once += r == 0 || (r < 0 && errno == ECONNRESET) ? 1 : 0;
  }
  EXPECT_GE(closed_at_once, 22u);
  std::this_thread::sleep_for(std::chrono::milliseconds(5300));
  for (int fd : idle) {
    char c;
    timeval tv{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    EXPECT_EQ(::recv(fd, &c, 1, 0), 0) << "still open after the deadline";
    ::close(fd);
  }
}

}  // namespace
}  // namespace pf::host::gamestream
