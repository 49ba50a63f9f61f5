// SPDX-License-Identifier: MIT OR Apache-2.0
// The punktfunk/1 control plane end to end on loopback: NativeService (host)
// and NativeClient (core) over real QUIC, with real files for identities and
// paired peers.
#include "host/native/native_service.h"

#include <dirent.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <condition_variable>
#include <thread>

#include "client/core/native_client.h"
#include "crypto/pki.h"
#include "net/quic/quic_identity.h"

#include "host/native/native_test_support.h"

namespace pf::host::native {
namespace {

using namespace std::chrono_literals;
using namespace testing;
using client::NativeClient;

TEST(NativeServiceTest, UnpairedClientGetsAClearErrorAndNothingElse) {
  Host h;
  Client c;
  auto conn = c.connect(h);
  ASSERT_TRUE(conn) << conn.error().to_string();
  auto s = (*conn)->start_session(hello());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(s.error().message().find("not paired"), std::string::npos) << s.error().message();
  EXPECT_TRUE(h.starts.empty());
}

TEST(NativeServiceTest, PairWithThePinThenReconnectWithoutIt) {
  Host h;
  Client c;
  {
    auto conn = c.connect(h);
    ASSERT_TRUE(conn);
    auto r = (*conn)->pair(h.svc->open_pin(), "Test Client");
    ASSERT_TRUE(r) << r.error().to_string();
    EXPECT_EQ(r->host_name, "Test Host");
    EXPECT_EQ(r->host, h.svc->fingerprint());
  }
  auto paired = h.svc->paired_clients();
  ASSERT_EQ(paired.size(), 1u);
  EXPECT_EQ(paired[0].name, "Test Client");
  EXPECT_EQ(paired[0].fingerprint, *net::certificate_fingerprint(c.id.cert_pem));
  // The store is a real file, mode 0600.
  EXPECT_TRUE(std::filesystem::exists(h.dir / "native-clients.json"));

  auto conn = c.connect(h, h.svc->fingerprint());
  ASSERT_TRUE(conn) << conn.error().to_string();
  auto s = (*conn)->start_session(hello());
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_EQ(s->welcome.width, 1280);
  EXPECT_EQ(s->welcome.codec, pn::kCodecH264);
  EXPECT_EQ(s->welcome.host_video_port, 47000);
  EXPECT_EQ(s->welcome.fec_field, pn::kFecGf16);
  std::lock_guard l(h.mu);
  ASSERT_EQ(h.starts.size(), 1u);
  // Both sides derived the same video keys from the TLS exporter.
  EXPECT_EQ(h.starts[0].host_to_client, s->host_to_client);
  EXPECT_EQ(h.starts[0].client_to_host, s->client_to_host);
  EXPECT_NE(s->host_to_client, s->client_to_host);
  EXPECT_EQ(h.starts[0].client_name, "Test Client");
  EXPECT_EQ(h.starts[0].session_id, s->welcome.session_id);
}

TEST(NativeServiceTest, WrongPinFailsAndBurnsThePin) {
  Host h;
  Client c;
  const std::string pin = h.svc->open_pin();
  const std::string wrong = pin == "000000" ? "000001" : "000000";
  {
    auto conn = c.connect(h);
    ASSERT_TRUE(conn);
    auto r = (*conn)->pair(wrong, "Test Client");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), StatusCode::kPermissionDenied);
    EXPECT_NE(r.error().message().find("wrong PIN"), std::string::npos) << r.error().message();
  }
  auto conn = c.connect(h);
  ASSERT_TRUE(conn);
  auto r = (*conn)->pair(pin, "Test Client");  // right PIN, but it was burned
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("no pairing PIN"), std::string::npos) << r.error().message();
  EXPECT_TRUE(h.svc->paired_clients().empty());
}

TEST(NativeServiceTest, LockedOutAfterFiveFailures) {
  Host h;
  Client c;
  for (int i = 0; i < 5; ++i) {
    const std::string pin = h.svc->open_pin();
    auto conn = c.connect(h);
    ASSERT_TRUE(conn);
    EXPECT_FALSE((*conn)->pair(pin == "123456" ? "654321" : "123456", "x"));
  }
  // The host records the failure when the client disconnects mid-pairing.
  ASSERT_TRUE(eventually([&] { return h.svc->stats().connections == 0; }));
  const std::string pin = h.svc->open_pin();
  auto conn = c.connect(h);
  ASSERT_TRUE(conn);
  auto r = (*conn)->pair(pin, "x");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(r.error().message().find("wait a minute"), std::string::npos);
}

TEST(NativeServiceTest, AClientWithAChangedCertificateIsRefused) {
  Host h;
  Client c;
  ASSERT_NO_FATAL_FAILURE(c.pair(h));
  Client other;  // same machine, new identity
  auto conn = other.connect(h);
  ASSERT_TRUE(conn);
  auto s = (*conn)->start_session(hello());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), StatusCode::kPermissionDenied);
}

TEST(NativeServiceTest, AHostWithAChangedCertificateIsRefusedByThePinningClient) {
  Host h;
  Client c;
  ASSERT_NO_FATAL_FAILURE(c.pair(h));
  pn::Fingerprint pinned = h.svc->fingerprint();
  pinned[0] ^= 1;  // what the client paired with is not what answers now
  auto conn = c.connect(h, pinned);
  ASSERT_FALSE(conn);
  EXPECT_EQ(conn.error().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(conn.error().message().find("different certificate"), std::string::npos);
}

TEST(NativeServiceTest, DatagramsControlAndClockRoundTrip) {
  Host h;
  Client c;
  ASSERT_NO_FATAL_FAILURE(c.pair(h));
  std::mutex mu;
  std::vector<pn::ControlMessage> notices;
  std::vector<std::vector<uint8_t>> audio;
  std::vector<pn::RumbleDatagram> rumble;
  std::vector<pn::HostTimingDatagram> timing;
  client::NativeClientEvents ev;
  ev.on_control = [&](const pn::ControlMessage& m) {
    std::lock_guard l(mu);
    notices.push_back(m);
  };
  ev.on_audio = [&](const pn::AudioDatagram& a) {
    std::lock_guard l(mu);
    audio.emplace_back(a.opus.begin(), a.opus.end());
  };
  ev.on_rumble = [&](const pn::RumbleDatagram& r) {
    std::lock_guard l(mu);
    rumble.push_back(r);
  };
  ev.on_host_timing = [&](const pn::HostTimingDatagram& t) {
    std::lock_guard l(mu);
    timing.push_back(t);
  };
  auto conn = c.connect(h, h.svc->fingerprint(), ev);
  ASSERT_TRUE(conn);
  auto s = (*conn)->start_session(hello());
  ASSERT_TRUE(s);
  NativeClient& cl = **conn;
  for (uint32_t k = 1; k <= 20; ++k)
    EXPECT_TRUE(cl.send_input(pn::InputDatagram{1, k, 0, 0, 0}));
  const uint8_t opus[] = {0xf8, 0xff, 0xfe};
  EXPECT_TRUE(cl.send_mic(1, 123, opus));
  EXPECT_TRUE(cl.send_control(pn::RequestIdr{5}));
  EXPECT_TRUE(cl.send_control(pn::InvalidateRefs{6, 8}));
  EXPECT_TRUE(cl.send_control(pn::ReceiverReport{60, 0, 0, 0, 100, 2000}));
  EXPECT_TRUE(cl.send_control(pn::SetBitrate{15000}));
  const uint8_t unknown[] = {0xEF, 0, 1};
  cl.connection_for_testing()->send_datagram(unknown);
  ASSERT_TRUE(eventually([&] {
    std::lock_guard l(h.mu);
    return h.inputs.size() == 20 && h.mic.size() == 1 && h.controls.size() == 4;
  }));
  {
    std::lock_guard l(h.mu);
    EXPECT_EQ(h.inputs.back().code, 20u);
    EXPECT_EQ(h.mic[0], std::vector<uint8_t>(opus, opus + 3));
    EXPECT_TRUE(std::holds_alternative<pn::RequestIdr>(h.controls[0]));
    EXPECT_EQ(std::get<pn::SetBitrate>(h.controls[3]).kbps, 15000u);
  }
  ASSERT_TRUE(eventually([&] { return h.svc->stats().totals.datagrams_unknown == 1; }));
  // Host -> client notices.
  EXPECT_TRUE(h.svc->send(s->welcome.session_id, pn::SetBitrate{12000}));
  EXPECT_TRUE(h.svc->send(s->welcome.session_id, pn::SetFec{30}));
  ASSERT_TRUE(eventually([&] {
    std::lock_guard l(mu);
    return notices.size() == 2;
  }));
  // Host -> client datagrams of every kind.
  {
    std::array<uint8_t, 64> buf{};
    pn::AudioDatagram a;
    a.seq = 1;
    a.opus = std::span<const uint8_t>(opus);
    auto n = pn::encode_datagram(a, buf);
    EXPECT_TRUE(h.svc->send_datagram(s->welcome.session_id, std::span(buf).first(*n)));
    n = pn::encode_datagram(pn::RumbleDatagram{0, 1000, 2000, 50}, buf);
    EXPECT_TRUE(h.svc->send_datagram(s->welcome.session_id, std::span(buf).first(*n)));
    n = pn::encode_datagram(pn::HostTimingDatagram{9, 3000, 400}, buf);
    EXPECT_TRUE(h.svc->send_datagram(s->welcome.session_id, std::span(buf).first(*n)));
    EXPECT_FALSE(h.svc->send_datagram(s->welcome.session_id + 1, std::span(buf).first(*n)));
  }
  ASSERT_TRUE(eventually([&] {
    std::lock_guard l(mu);
    return audio.size() == 1 && rumble.size() == 1 && timing.size() == 1;
  }));
  {
    std::lock_guard l(mu);
    EXPECT_EQ(audio[0], std::vector<uint8_t>(opus, opus + 3));
    EXPECT_EQ(rumble[0].high_motor, 2000);
    EXPECT_EQ(timing[0].frame_index, 9u);
  }
  // Clock sync: 8 probes at session start; same machine, so the offset is tiny.
  ASSERT_TRUE(eventually([&] { return cl.clock().samples >= 8; }));
  const auto clk = cl.clock();
  EXPECT_TRUE(clk.valid);
  EXPECT_LT(std::abs(clk.offset_ns), 2'000'000) << clk.offset_ns;
  EXPECT_GT(clk.rtt_ns, 0);
  EXPECT_EQ(h.svc->stats().totals.clock_probes, clk.samples);
}

TEST(NativeServiceTest, MalformedControlClosesOnlyThatSession) {
  Host h;
  Client a, b;
  ASSERT_NO_FATAL_FAILURE(a.pair(h));
  ASSERT_NO_FATAL_FAILURE(b.pair(h));
  auto ca = a.connect(h, h.svc->fingerprint());
  auto cb = b.connect(h, h.svc->fingerprint());
  ASSERT_TRUE(ca && cb);
  ASSERT_TRUE((*ca)->start_session(hello()));
  ASSERT_TRUE((*cb)->start_session(hello()));
  const std::vector<uint8_t> garbage = {3, 0, 0, 0, 0x03, 1, 2};  // RequestIdr, 2-byte body
  (*ca)->connection_for_testing()->send_stream(garbage);
  ASSERT_TRUE(eventually([&] { return !(*ca)->connected(); }));
  ASSERT_TRUE(eventually([&] { return h.count_ends() == 1; }));
  {
    std::lock_guard l(h.mu);
    EXPECT_EQ(h.ends[0].second, kByeProtocolError);
  }
  EXPECT_TRUE((*cb)->connected());
  EXPECT_EQ(h.svc->stats().sessions, 1u);
}

TEST(NativeServiceTest, SilentClientTimesOutAndByeEndsSessions) {
  Host h(/*session_timeout_ms=*/300);
  Client c;
  ASSERT_NO_FATAL_FAILURE(c.pair(h));
  std::mutex mu;
  std::condition_variable cv;
  std::optional<uint32_t> reason;
  client::NativeClientEvents ev;
  ev.on_closed = [&](uint32_t r, const std::string&) {
    std::lock_guard l(mu);
    reason = r;
    cv.notify_all();
  };
  // A client that never sends keepalives looks like one that vanished.
  auto conn = c.connect(h, h.svc->fingerprint(), ev, /*keepalive_ms=*/60'000);
  ASSERT_TRUE(conn);
  ASSERT_TRUE((*conn)->start_session(hello()));
  {
    std::unique_lock l(mu);
    ASSERT_TRUE(cv.wait_for(l, 5s, [&] { return reason.has_value(); }));
  }
  EXPECT_EQ(*reason, kByeTimeout);
  ASSERT_TRUE(eventually([&] { return h.count_ends() == 1; }));

  // A normal Bye.
  auto conn2 = c.connect(h, h.svc->fingerprint());
  ASSERT_TRUE(conn2);
  ASSERT_TRUE((*conn2)->start_session(hello()));
  (*conn2)->close(0, "user quit");
  ASSERT_TRUE(eventually([&] { return h.count_ends() == 2; }));
  std::lock_guard l(h.mu);
  EXPECT_EQ(h.ends[1].second, 0u);
}

TEST(NativeServiceTest, HostShutdownAndUnpairTellTheClient) {
  auto h = std::make_unique<Host>();
  Client c;
  ASSERT_NO_FATAL_FAILURE(c.pair(*h));
  std::mutex mu;
  std::optional<uint32_t> reason;
  client::NativeClientEvents ev;
  ev.on_closed = [&](uint32_t r, const std::string&) {
    std::lock_guard l(mu);
    reason = r;
  };
  auto conn = c.connect(*h, h->svc->fingerprint(), ev);
  ASSERT_TRUE(conn);
  ASSERT_TRUE((*conn)->start_session(hello()));
  const std::string id = h->svc->paired_clients()[0].id();
  auto renamed = h->svc->rename(id.substr(0, 8), "Renamed phone");
  ASSERT_TRUE(renamed) << renamed.error().to_string();
  EXPECT_EQ(h->svc->paired_clients()[0].name, "Renamed phone");
  EXPECT_EQ(h->svc->rename("0000000000", "x").error().code(), StatusCode::kNotFound);
  auto unpaired = h->svc->unpair(id);
  ASSERT_TRUE(unpaired);
  EXPECT_EQ(*unpaired, 1u);
  ASSERT_TRUE(eventually([&] {
    std::lock_guard l(mu);
    return reason.has_value();
  }));
  EXPECT_EQ(*reason, kByeKicked);

  Client d;
  ASSERT_NO_FATAL_FAILURE(d.pair(*h));
  reason.reset();
  auto conn2 = d.connect(*h, h->svc->fingerprint(), ev);
  ASSERT_TRUE(conn2);
  ASSERT_TRUE((*conn2)->start_session(hello()));
  h->svc->shutdown();
  ASSERT_TRUE(eventually([&] {
    std::lock_guard l(mu);
    return reason.has_value();
  }));
  EXPECT_EQ(*reason, kByeHostShutdown);
}

TEST(NativeServiceTest, FiftySessionCyclesLeakNoDescriptors) {
  Host h;
  Client c;
  ASSERT_NO_FATAL_FAILURE(c.pair(h));
  int before = 0;
  for (int i = 0; i < 50; ++i) {
    auto conn = c.connect(h, h.svc->fingerprint());
    ASSERT_TRUE(conn) << i;
    ASSERT_TRUE((*conn)->start_session(hello())) << i;
    conn->reset();
    if (i == 4)
      before = pf::testing::open_fd_count();
  }
  ASSERT_TRUE(eventually([&] { return h.count_ends() == 50; })) << h.count_ends();
  EXPECT_EQ(pf::testing::open_fd_count(), before);
  ASSERT_TRUE(eventually([&] { return h.svc->stats().connections == 0; }));
}

}  // namespace
}  // namespace pf::host::native
