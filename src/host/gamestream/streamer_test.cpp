// SPDX-License-Identifier: MIT OR Apache-2.0
// The streamer's per-client streams over real sockets on 127.0.0.1: a stream
// the host ended is gone, yet its client's control session may still report
// later (a disconnect never acknowledged, silence): that must reach nothing
// (it once reached a freed stream). And two clients' streams are independent.
#include "host/gamestream/streamer.h"

#include <enet/enet.h>

#include <gtest/gtest.h>

#include "crypto/pki.h"
#include "host/gamestream/client_store.h"

namespace pf::host::gamestream {
namespace {

using namespace std::chrono_literals;

StreamStart start_for(const std::string& cert, uint32_t connect_data, char ping) {
  StreamStart st;
  st.launch.client_cert_pem = cert;
  st.launch.client_name = cert;
  st.stream.width = 64;
  st.stream.height = 64;
  st.stream.fps = 30;
  st.ping_payload = std::string(16, ping);
  st.connect_data = connect_data;
  return st;
}

// An ENet client that connects and then never services its host again: the
// host's termination and disconnect stay unanswered.
struct MuteClient {
  ENetHost* host = enet_host_create(nullptr, 1, 48, 0, 0);
  ~MuteClient() { enet_host_destroy(host); }
  bool connect(uint16_t port, uint32_t data) {
    ENetAddress a{};
    enet_address_set_host_ip(&a, "127.0.0.1");
    a.port = port;
    enet_host_connect(host, &a, 48, data);
    ENetEvent ev;
    const auto end = std::chrono::steady_clock::now() + 3s;
    while (std::chrono::steady_clock::now() < end)
      if (enet_host_service(host, &ev, 10) > 0 && ev.type == ENET_EVENT_TYPE_CONNECT) {
        enet_host_flush(host);
        return true;
      }
    return false;
  }
};

TEST(StreamerTest, ControlEventsAfterTheHostEndedAStreamReachNothing) {
  auto s = Streamer::create("127.0.0.1", 0, 0, 0, 300ms);
  ASSERT_TRUE(s) << s.error().to_string();
  Streamer& streamer = **s;
  streamer.set_audio_source(AudioSource::kTone);
  const auto ca = crypto::make_self_signed_p256("a"), cb = crypto::make_self_signed_p256("b");
  ASSERT_TRUE(ca && cb);
  const std::string a_id = client_id(ca->cert_pem), b_id = client_id(cb->cert_pem);
  ASSERT_NE(a_id, b_id);
  ASSERT_TRUE(streamer.begin(start_for(ca->cert_pem, 77, 'A'), {}).is_ok());
  ASSERT_TRUE(streamer.begin(start_for(cb->cert_pem, 78, 'B'), {}).is_ok());
  EXPECT_EQ(streamer.active(), 2u);
  MuteClient a;
  ASSERT_TRUE(a.connect(streamer.control_port(), 77));
  for (int i = 0; i < 300 && !streamer.control().connected(77); ++i)
    std::this_thread::sleep_for(10ms);
  ASSERT_TRUE(streamer.control().connected(77));
  // The host ends a's stream: its termination goes unanswered, and 300 ms of
  // silence later the control stream ends that session — after the stream is gone.
  streamer.end(a_id);
  EXPECT_FALSE(streamer.streaming(a_id));
  EXPECT_TRUE(streamer.streaming(b_id)) << "b's stream is its own";
  std::this_thread::sleep_for(1s);
  EXPECT_TRUE(streamer.streaming(b_id));
  EXPECT_FALSE(streamer.stats(a_id));
  streamer.end_all();
  EXPECT_EQ(streamer.active(), 0u);
}

}  // namespace
}  // namespace pf::host::gamestream
