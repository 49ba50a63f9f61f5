// SPDX-License-Identifier: MIT OR Apache-2.0
// HostSession on virtual time with a fake connection: no sockets, no threads.
#include "host/native/host_session.h"

#include <gtest/gtest.h>

#include <array>

namespace pf::host::native {
namespace {

constexpr int64_t kMs = 1'000'000;

struct FakeIo final : SessionIo {
  std::vector<pn::ControlMessage> sent;
  std::vector<std::vector<uint8_t>> datagrams;
  std::optional<uint32_t> closed;
  void send_control(const pn::ControlMessage& m) override {
    // Through the wire format, as the client would see it.
    auto bytes = pn::encode_control(m);
    auto back = pn::decode_control(bytes[4], std::span(bytes).subspan(5));
    ASSERT_TRUE(back);
    sent.push_back(*back);
  }
  void send_datagram(std::span<const uint8_t> b) override {
    datagrams.emplace_back(b.begin(), b.end());
  }
  void close(uint32_t reason, std::string_view) override { closed = reason; }
  Result<std::vector<uint8_t>> export_keying_material(std::string_view label,
                                                      std::span<const uint8_t> ctx,
                                                      size_t n) override {
    std::vector<uint8_t> out(n, static_cast<uint8_t>(label.size() + ctx[0]));
    return out;
  }
  std::function<bool(std::span<const uint8_t>)> datagram_sender() override {
    return [this](std::span<const uint8_t> b) {
      datagrams.emplace_back(b.begin(), b.end());
      return true;
    };
  }
  std::function<bool(std::span<const uint8_t>)> stream_sender() override {
    return [](std::span<const uint8_t>) { return true; };
  }
  template <typename T>
  const T* last() const {
    for (auto it = sent.rbegin(); it != sent.rend(); ++it)
      if (auto* p = std::get_if<T>(&*it))
        return p;
    return nullptr;
  }
};

pn::Fingerprint fp(uint8_t v) {
  pn::Fingerprint f;
  f.fill(v);
  return f;
}

struct Fixture {
  FakeIo io;
  SessionHooks hooks;
  PinGate pins{[] { return 246810u; }};
  HostSessionOptions opts;
  std::vector<pn::PinnedPeer> store;
  bool save_ok = true;  // false: the state directory is full
  std::vector<pn::InputDatagram> inputs;
  std::vector<std::pair<uint32_t, uint32_t>> ends;
  std::vector<pn::ControlMessage> controls;
  std::optional<SessionStart> started;

  Fixture() {
    opts.host_fingerprint = fp(2);
    opts.host_name = "Host";
    uint32_t next = 0;
    opts.random_u32 = [next]() mutable { return next++; };  // 0 first: must be skipped
    hooks.is_paired = [this](const pn::Fingerprint& f) {
      for (auto& p : store)
        if (p.fingerprint == f)
          return true;
      return false;
    };
    hooks.add_paired = [this](const pn::PinnedPeer& p) {
      if (!save_ok)
        return Status(StatusCode::kUnavailable,
                      "cannot write paired.json: No space left on device");
      store.push_back(p);
      return Status::ok();
    };
    hooks.on_input = [this](uint32_t, const pn::InputDatagram& d) { inputs.push_back(d); };
    hooks.on_session_end = [this](uint32_t id, uint32_t r) { ends.emplace_back(id, r); };
    hooks.on_control = [this](uint32_t, const pn::ControlMessage& m) { controls.push_back(m); };
    hooks.on_session_start = [this](const SessionStart& s) -> Result<uint16_t> {
      started = s;
      return uint16_t{50000};
    };
  }
  std::unique_ptr<HostSession> session(uint8_t client = 1, int64_t now = 0) {
    return std::make_unique<HostSession>(io, hooks, pins, opts, fp(client), "10.0.0.9:5000", now);
  }
};

void feed(HostSession& s, const pn::ControlMessage& m, int64_t now) {
  s.on_stream_data(pn::encode_control(m), now);
}

pn::Hello hello() {
  pn::Hello h;
  h.width = 1280, h.height = 720, h.fps_x100 = 6000, h.codecs = 3, h.fec_fields = 3, h.ciphers = 1,
  h.max_bitrate_kbps = 10000;
  return h;
}

TEST(HostSessionTest, UnpairedClientsMayOnlyPair) {
  Fixture f;
  auto s = f.session();
  feed(*s, hello(), 0);
  ASSERT_NE(f.io.last<pn::Bye>(), nullptr);
  EXPECT_EQ(f.io.last<pn::Bye>()->reason, kByeNotPaired);
  EXPECT_NE(f.io.last<pn::Bye>()->text.find("not paired"), std::string::npos);
  EXPECT_EQ(f.io.closed, kByeNotPaired);
  EXPECT_EQ(s->state(), HostSession::State::kClosed);
  EXPECT_FALSE(f.started);
}

TEST(HostSessionTest, PairsThenNegotiatesOnTheSameConnection) {
  Fixture f;
  const std::string pin = f.pins.open(0);
  auto s = f.session();
  auto client = pn::PairingClient::start(pin, fp(1), fp(2), "Tablet");
  ASSERT_TRUE(client);
  feed(*s, client->first_message(), 1 * kMs);
  ASSERT_EQ(s->state(), HostSession::State::kPairing);
  const auto* reply = f.io.last<pn::PairMessage>();
  ASSERT_NE(reply, nullptr);
  auto confirm = client->on_reply(*reply);
  ASSERT_TRUE(confirm) << confirm.error().to_string();
  EXPECT_EQ(client->host_name(), "Host");
  feed(*s, *confirm, 2 * kMs);
  auto result = pn::decode_pair_result(*f.io.last<pn::PairMessage>());
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, pn::PairStatus::kOk);
  ASSERT_EQ(f.store.size(), 1u);
  EXPECT_EQ(f.store[0].name, "Tablet");
  EXPECT_EQ(f.store[0].fingerprint, fp(1));
  EXPECT_FALSE(f.pins.peek(3 * kMs));  // the PIN is spent

  feed(*s, hello(), 3 * kMs);
  ASSERT_EQ(s->state(), HostSession::State::kActive);
  const auto* w = f.io.last<pn::Welcome>();
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->session_id, 1u);  // 0 is never a session id
  EXPECT_EQ(w->host_video_port, 50000);
  EXPECT_EQ(w->width, 1280);
  ASSERT_TRUE(f.started);
  EXPECT_NE(f.started->host_to_client, f.started->client_to_host);
}

// The PIN is right but the pairing cannot be stored (disk full): the client is told so (status 6)
// and is not paired, on this connection or later.
TEST(HostSessionTest, APairingThatCannotBeSavedFailsClearly) {
  Fixture f;
  f.save_ok = false;
  const std::string pin = f.pins.open(0);
  auto s = f.session();
  auto client = pn::PairingClient::start(pin, fp(1), fp(2), "Tablet");
  feed(*s, client->first_message(), 1 * kMs);
  auto confirm = client->on_reply(*f.io.last<pn::PairMessage>());
  ASSERT_TRUE(confirm);
  feed(*s, *confirm, 2 * kMs);
  auto result = pn::decode_pair_result(*f.io.last<pn::PairMessage>());
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, pn::PairStatus::kNotSaved);
  EXPECT_NE(result->text.find("could not save"), std::string::npos) << result->text;
  EXPECT_EQ(f.io.closed, kByeNotPaired);
  EXPECT_EQ(s->state(), HostSession::State::kClosed);
  EXPECT_TRUE(f.store.empty());
  // Not paired: a Hello on a new connection is refused.
  FakeIo io2;
  HostSession s2(io2, f.hooks, f.pins, f.opts, fp(1), "10.0.0.9:5001", 3 * kMs);
  s2.on_stream_data(pn::encode_control(hello()), 3 * kMs);
  ASSERT_NE(io2.last<pn::Bye>(), nullptr);
  EXPECT_EQ(io2.last<pn::Bye>()->reason, kByeNotPaired);
}

TEST(HostSessionTest, AWrongPinBurnsThePinAndCounts) {
  Fixture f;
  f.pins.open(0);
  auto s = f.session();
  auto client = pn::PairingClient::start("000000", fp(1), fp(2), "Tablet");
  feed(*s, client->first_message(), 0);
  // The client sees the wrong PIN at once and gives up: the host counts it.
  EXPECT_FALSE(client->on_reply(*f.io.last<pn::PairMessage>()));
  s->on_closed(0);
  EXPECT_TRUE(f.store.empty());
  // Next attempt: no PIN open.
  FakeIo io2;
  HostSession s2(io2, f.hooks, f.pins, f.opts, fp(1), "10.0.0.9:5001", 0);
  auto c2 = pn::PairingClient::start("246810", fp(1), fp(2), "Tablet");
  s2.on_stream_data(pn::encode_control(c2->first_message()), 0);
  auto r = pn::decode_pair_result(*io2.last<pn::PairMessage>());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, pn::PairStatus::kNoPin);
}

TEST(HostSessionTest, FiveFailuresLockTheAddressOut) {
  Fixture f;
  for (int i = 0; i < 5; ++i) {
    f.pins.open(i * kMs);
    FakeIo io;
    HostSession s(io, f.hooks, f.pins, f.opts, fp(1), "10.0.0.9:6000", i * kMs);
    auto c = pn::PairingClient::start("999999", fp(1), fp(2), "x");
    s.on_stream_data(pn::encode_control(c->first_message()), i * kMs);
    pn::PairConfirm forged;
    s.on_stream_data(pn::encode_control(pn::encode(forged)), i * kMs);
    auto r = pn::decode_pair_result(*io.last<pn::PairMessage>());
    EXPECT_EQ(r->status, pn::PairStatus::kWrongPin);
  }
  f.pins.open(6 * kMs);
  FakeIo io;
  HostSession s(io, f.hooks, f.pins, f.opts, fp(1), "10.0.0.9:7000", 6 * kMs);
  auto c = pn::PairingClient::start(*f.pins.peek(6 * kMs), fp(1), fp(2), "x");
  s.on_stream_data(pn::encode_control(c->first_message()), 6 * kMs);
  EXPECT_EQ(pn::decode_pair_result(*io.last<pn::PairMessage>())->status,
            pn::PairStatus::kLockedOut);
  EXPECT_TRUE(f.pins.peek(6 * kMs));  // a locked-out attempt does not burn the PIN
}

struct Active : Fixture {
  std::unique_ptr<HostSession> s;
  Active() {
    store.push_back(pn::PinnedPeer{fp(1), "Tablet", "", ""});
    s = session();
    feed(*s, hello(), 0);
  }
};

TEST(HostSessionTest, DatagramsAreDemultiplexedAndCounted) {
  Active a;
  ASSERT_EQ(a.s->state(), HostSession::State::kActive);
  std::array<uint8_t, 64> buf{};
  auto n = pn::encode_datagram(pn::InputDatagram{1, 30, 0, 0, 0}, buf);
  a.s->on_datagram(std::span(buf).first(*n), 1 * kMs);
  n = pn::encode_datagram(pn::ClockProbeDatagram{7, 123}, buf);
  a.s->on_datagram(std::span(buf).first(*n), 5 * kMs);
  const uint8_t unknown[] = {0xEE, 1, 2}, truncated[] = {0xC8, 1};
  a.s->on_datagram(unknown, 6 * kMs);
  a.s->on_datagram(truncated, 6 * kMs);
  ASSERT_EQ(a.inputs.size(), 1u);
  EXPECT_EQ(a.inputs[0].code, 30u);
  ASSERT_EQ(a.io.datagrams.size(), 1u);
  auto reply = pn::decode_datagram(a.io.datagrams[0]);
  ASSERT_TRUE(reply);
  const auto& r = std::get<pn::ClockReplyDatagram>(*reply);
  EXPECT_EQ(r.seq, 7u);
  EXPECT_EQ(r.client_send_ns, 123u);
  EXPECT_EQ(r.host_receive_ns, static_cast<uint64_t>(5 * kMs));
  EXPECT_EQ(a.s->counters().input, 1u);
  EXPECT_EQ(a.s->counters().clock_probes, 1u);
  EXPECT_EQ(a.s->counters().datagrams_unknown, 1u);
  EXPECT_EQ(a.s->counters().datagrams_malformed, 1u);
}

TEST(HostSessionTest, DatagramsBeforeTheSessionAreDropped) {
  Fixture f;
  f.store.push_back(pn::PinnedPeer{fp(1), "Tablet", "", ""});
  auto s = f.session();
  std::array<uint8_t, 32> buf{};
  auto n = pn::encode_datagram(pn::InputDatagram{1, 30, 0, 0, 0}, buf);
  s->on_datagram(std::span(buf).first(*n), 0);
  EXPECT_TRUE(f.inputs.empty());
  EXPECT_EQ(s->counters().datagrams_early, 1u);
}

TEST(HostSessionTest, ControlMessagesReachTheHooks) {
  Active a;
  feed(*a.s, pn::RequestIdr{41}, 1 * kMs);
  feed(*a.s, pn::InvalidateRefs{5, 9}, 1 * kMs);
  feed(*a.s, pn::ReceiverReport{100, 1, 3, 3, 250, 900}, 1 * kMs);
  feed(*a.s, pn::SetBitrate{30000}, 1 * kMs);
  feed(*a.s, pn::SetFec{40}, 1 * kMs);  // host->client only: ignored
  ASSERT_EQ(a.controls.size(), 4u);
  EXPECT_EQ(std::get<pn::RequestIdr>(a.controls[0]).last_good_frame, 41u);
  EXPECT_EQ(a.s->counters().control_ignored, 1u);
}

TEST(HostSessionTest, KeepalivesWhenIdleAndTimeoutAfterSilence) {
  Active a;
  const size_t before = a.io.sent.size();
  a.s->on_tick(400 * kMs);
  EXPECT_EQ(a.io.sent.size(), before);
  a.s->on_tick(600 * kMs);
  EXPECT_TRUE(std::holds_alternative<pn::Keepalive>(a.io.sent.back()));
  feed(*a.s, pn::Keepalive{}, 9000 * kMs);  // the client is alive
  a.s->on_tick(18'000 * kMs);
  EXPECT_EQ(a.s->state(), HostSession::State::kActive);
  a.s->on_tick(19'001 * kMs);
  EXPECT_EQ(a.s->state(), HostSession::State::kClosed);
  ASSERT_NE(a.io.last<pn::Bye>(), nullptr);
  EXPECT_EQ(a.io.last<pn::Bye>()->reason, kByeTimeout);
  ASSERT_EQ(a.ends.size(), 1u);
  EXPECT_EQ(a.ends[0].second, kByeTimeout);
}

TEST(HostSessionTest, MalformedControlClosesOnlyThisSessionWithProtocolError) {
  Active a;
  const uint8_t bad_bye[] = {2, 0, 0, 0, 0x08, 1};  // Bye with a 1-byte reason
  a.s->on_stream_data(bad_bye, 1 * kMs);
  EXPECT_EQ(a.s->state(), HostSession::State::kClosed);
  EXPECT_EQ(a.io.closed, kByeProtocolError);
  Active b;
  const uint8_t huge[] = {0xff, 0xff, 0xff, 0x7f, 0x01};
  b.s->on_stream_data(huge, 1 * kMs);
  EXPECT_EQ(b.io.closed, kByeProtocolError);
}

TEST(HostSessionTest, KeysStillHeldAreReleasedWhenTheSessionEnds) {
  Active a;
  std::array<uint8_t, 32> buf{};
  for (const auto& e : {pn::InputDatagram{1, 29, 0, 0, 0}, pn::InputDatagram{1, 30, 0, 0, 0},
                        pn::InputDatagram{2, 30, 0, 0, 0}, pn::InputDatagram{5, 0x110, 0, 0, 0}}) {
    auto n = pn::encode_datagram(e, buf);
    a.s->on_datagram(std::span(buf).first(*n), 1 * kMs);
  }
  ASSERT_EQ(a.inputs.size(), 4u);
  a.s->on_tick(20'000 * kMs);  // the client stalled: timeout
  ASSERT_EQ(a.inputs.size(), 6u);
  EXPECT_EQ(a.inputs[4], (pn::InputDatagram{2, 29, 0, 0, 0}));     // Ctrl up
  EXPECT_EQ(a.inputs[5], (pn::InputDatagram{6, 0x110, 0, 0, 0}));  // left button up
  ASSERT_EQ(a.ends.size(), 1u);
}

TEST(HostSessionTest, AnInputFloodIsBoundedButReleasesAlwaysPass) {
  Active a;
  std::array<uint8_t, 32> buf{};
  const auto send = [&](const pn::InputDatagram& e, int64_t t) {
    auto n = pn::encode_datagram(e, buf);
    a.s->on_datagram(std::span(buf).first(*n), t);
  };
  send(pn::InputDatagram{1, 30, 0, 0, 0}, 1 * kMs);  // A down
  for (int i = 0; i < 5000; ++i)                     // 5000 motions within one millisecond
    send(pn::InputDatagram{3, 0, 1, 1, 0}, 1 * kMs);
  send(pn::InputDatagram{2, 30, 0, 0, 0}, 1 * kMs);  // A up: passes despite the flood
  const auto limited = a.s->counters().input_rate_limited;
  EXPECT_GE(limited, 5000u - 1000u);  // the burst of 1000 passed, the rest did not
  EXPECT_LE(limited, 5000u);
  EXPECT_EQ(a.inputs.back(), (pn::InputDatagram{2, 30, 0, 0, 0}));
  EXPECT_EQ(a.inputs.size(), 5002u - limited);
  // A second later the bucket is full again.
  send(pn::InputDatagram{3, 0, 1, 1, 0}, 1001 * kMs);
  EXPECT_EQ(a.s->counters().input_rate_limited, limited);
}

TEST(HostSessionTest, ByeFromTheClientEndsTheSession) {
  Active a;
  feed(*a.s, pn::Bye{0, "user quit"}, 1 * kMs);
  EXPECT_EQ(a.s->state(), HostSession::State::kClosed);
  ASSERT_EQ(a.ends.size(), 1u);
  EXPECT_EQ(a.ends[0].second, 0u);
}

TEST(HostSessionTest, ARefusedSessionStartIsExplained) {
  Fixture f;
  f.store.push_back(pn::PinnedPeer{fp(1), "Tablet", "", ""});
  f.hooks.on_session_start = [](const SessionStart&) -> Result<uint16_t> {
    return make_error(StatusCode::kUnavailable, "no virtual display backend");
  };
  auto s = f.session();
  feed(*s, hello(), 0);
  ASSERT_NE(f.io.last<pn::Bye>(), nullptr);
  EXPECT_EQ(f.io.last<pn::Bye>()->text, "no virtual display backend");
  EXPECT_EQ(s->state(), HostSession::State::kClosed);
  EXPECT_TRUE(f.ends.empty());  // never started
  EXPECT_EQ(f.io.last<pn::Bye>()->reason, kByeKicked);
}

TEST(HostSessionTest, AFullHostSaysBusy) {
  Fixture f;
  f.store.push_back(pn::PinnedPeer{fp(1), "Tablet", "", ""});
  f.hooks.on_session_start = [](const SessionStart&) -> Result<uint16_t> {
    return make_error(StatusCode::kResourceExhausted, "host busy: 4 of 4 sessions");
  };
  auto s = f.session();
  feed(*s, hello(), 0);
  ASSERT_NE(f.io.last<pn::Bye>(), nullptr);
  EXPECT_EQ(f.io.last<pn::Bye>()->reason, kByeHostBusy);
  EXPECT_EQ(f.io.last<pn::Bye>()->text, "host busy: 4 of 4 sessions");
}

}  // namespace
}  // namespace pf::host::native
