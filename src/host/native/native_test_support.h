// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once
// Test support for the punktfunk/1 control plane: a NativeService on
// loopback with recording hooks, clients with their own identity directory,
// and small waiting helpers. Header-only, for tests.
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include "base/testing/wait.h"
#include "client/core/native_client.h"
#include "host/native/native_service.h"
#include "net/quic/quic_identity.h"

namespace pf::host::native::testing {

using namespace std::chrono_literals;
using client::NativeClient;
using client::NativeClientOptions;

inline std::filesystem::path temp_dir(const std::string& tag) {
  static std::atomic<int> n{0};
  auto d = std::filesystem::temp_directory_path() /
           ("pf-native-" + tag + "-" + std::to_string(getpid()) + "-" + std::to_string(n++));
  std::filesystem::create_directories(d);
  return d;
}

using pf::testing::eventually;

inline pn::Hello hello() {
  pn::Hello h;
  h.width = 1280, h.height = 720, h.fps_x100 = 6000;
  h.codecs = pn::kCodecH264;
  h.fec_fields = pn::kFecGf8 | pn::kFecGf16;
  h.ciphers = pn::kCipherAes128Gcm;
  h.max_bitrate_kbps = 20000;
  h.client_video_port = 40000;
  return h;
}

// A host with recording hooks.
struct Host {
  std::filesystem::path dir = temp_dir("host");
  std::mutex mu;
  std::vector<SessionStart> starts;
  std::vector<std::pair<uint32_t, uint32_t>> ends;
  std::vector<pn::InputDatagram> inputs;
  std::vector<std::vector<uint8_t>> mic;
  std::vector<pn::ControlMessage> controls;
  std::unique_ptr<NativeService> svc;

  explicit Host(int64_t session_timeout_ms = 10'000) {
    NativeServiceOptions o;
    o.bind = net::Address::loopback_v4(0);
    o.state_dir = dir;
    o.host_name = "Test Host";
    o.session_timeout_ms = session_timeout_ms;
    o.caps.codec_preference = {pn::kCodecH264};
    SessionHooks h;
    h.on_session_start = [this](const SessionStart& s) -> Result<uint16_t> {
      std::lock_guard l(mu);
      starts.push_back(s);
      return uint16_t{47000};
    };
    h.on_session_end = [this](uint32_t id, uint32_t r) {
      std::lock_guard l(mu);
      ends.emplace_back(id, r);
    };
    h.on_input = [this](uint32_t, const pn::InputDatagram& d) {
      std::lock_guard l(mu);
      inputs.push_back(d);
    };
    h.on_mic = [this](uint32_t, const pn::MicDatagram& d, int64_t) {
      std::lock_guard l(mu);
      mic.emplace_back(d.opus.begin(), d.opus.end());
    };
    h.on_control = [this](uint32_t, const pn::ControlMessage& m) {
      std::lock_guard l(mu);
      controls.push_back(m);
    };
    auto s = NativeService::start(o, h);
    EXPECT_TRUE(s) << s.error().to_string();
    svc = std::move(*s);
  }
  ~Host() {
    svc.reset();
    std::filesystem::remove_all(dir);
  }
  net::Address address() const { return net::Address::loopback_v4(svc->port()); }
  size_t count_ends() {
    std::lock_guard l(mu);
    return ends.size();
  }
};

struct Client {
  std::filesystem::path dir = temp_dir("client");
  net::QuicIdentity id = *net::load_or_create_identity(dir, "client");
  ~Client() { std::filesystem::remove_all(dir); }
  Result<std::unique_ptr<NativeClient>> connect(const Host& h,
                                                std::optional<pn::Fingerprint> pinned = {},
                                                client::NativeClientEvents ev = {},
                                                int64_t keepalive_ms = 500) {
    NativeClientOptions o;
    o.host = h.address();
    o.identity = id;
    o.expected_host = pinned;
    o.keepalive_ms = keepalive_ms;
    return NativeClient::connect(o, std::move(ev));
  }
  // Pairs with the host's current PIN.
  void pair(Host& h) {
    auto c = connect(h);
    ASSERT_TRUE(c) << c.error().to_string();
    auto r = (*c)->pair(h.svc->open_pin(), "Test Client");
    ASSERT_TRUE(r) << r.error().to_string();
  }
};

}  // namespace pf::host::native::testing
