// SPDX-License-Identifier: MIT OR Apache-2.0
// Two clients' microphones on one host (punktfunk-protocol.md section 6: one
// speaker at a time), with a real PipeWire the test starts and real QUIC:
// client A sends a 440 Hz tone for 3 s or 60 s (its sequence numbers reach
// ~300 or ~6000) and ends — with a Bye, or by falling silent as a killed
// client does — then
// client B's 660 Hz tone must be in the "punktfunk-mic" recording within 1 s
// of its first packet (B's sequence numbers start at 0: they were once dropped
// as late until they passed A's). With both sending at once, A (the holder)
// is heard alone, B's packets counted as dropped, and B takes over once A stops.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <tuple>

#include "base/goertzel.h"
#include "client/app/mic_tone.h"
#include "host/audio/mic_service.h"
#include "host/audio/pw_test_env.h"
#include "host/native/native_test_support.h"

namespace pf::host::native {
namespace {

using namespace std::chrono_literals;

// The dominant tone of the recording's part [from_s, to_s).
DominantTone heard(const std::vector<float>& pcm, double from_s, double to_s) {
  const size_t a = std::min(pcm.size(), static_cast<size_t>(from_s * 48000));
  const size_t b = std::min(pcm.size(), static_cast<size_t>(to_s * 48000));
  return dominant_tone(std::span(pcm).subspan(a, b - a));
}

void print_tone(const char* what, const DominantTone& t) {
  std::printf("%s: %.0f Hz, %.1f dB above any other\n", what, t.hz,
              10 * std::log10(std::max(t.purity, 1e-30)));
}

class MicHandoverTest : public host::testing::PipeWireEnv {
 protected:
  void SetUp() override {
    host::testing::PipeWireEnv::SetUp();
    h_.svc.reset();  // rebuild with the mic wired in
    NativeServiceOptions o;
    o.bind = net::Address::loopback_v4(0);
    o.state_dir = h_.dir;
    o.host_name = "Mic Host";
    o.caps.codec_preference = {pn::kCodecH264};
    SessionHooks hooks;
    hooks.on_mic = [this](uint32_t id, const pn::MicDatagram& d, int64_t captured) {
      mic_.push(id, d.seq, d.opus, captured);
    };
    hooks.on_session_end = [this](uint32_t id, uint32_t) { mic_.end_sender(id); };
    auto svc = NativeService::start(o, hooks);
    ASSERT_TRUE(svc) << svc.error().to_string();
    h_.svc = std::move(*svc);
    ASSERT_NO_FATAL_FAILURE(a_.pair(h_));
    ASSERT_NO_FATAL_FAILURE(b_.pair(h_));
  }

  struct Speaker {
    std::unique_ptr<client::NativeClient> conn;
    std::unique_ptr<client::MicTone> tone;
  };
  Speaker speak(testing::Client& c, double hz) {
    Speaker s;
    auto conn = c.connect(h_, h_.svc->fingerprint());
    EXPECT_TRUE(conn);
    if (!conn)
      return s;
    s.conn = std::move(*conn);
    EXPECT_TRUE(s.conn->start_session(testing::hello()));
    client::NativeClient* cl = s.conn.get();
    auto t = client::MicTone::start(
        [cl](uint32_t seq, uint64_t pts, std::span<const uint8_t> b) {
          return cl->send_mic(seq, pts, b);
        },
        hz);
    EXPECT_TRUE(t);
    if (t)
      s.tone = std::move(*t);
    return s;
  }

  MicService mic_;
  testing::Host h_;
  testing::Client a_, b_;
};

// A speaks for 3 s or 60 s (the mic issue's case: B was silent for as long as
// A had spoken), then ends with a Bye or falls silent as a killed client does.
class MicHandoverAfterTest : public MicHandoverTest,
                             public ::testing::WithParamInterface<std::tuple<int, bool>> {};

TEST_P(MicHandoverAfterTest, ANewClientIsHeardAtOnceAfterTheLastOneEnded) {
  const auto [seconds, bye] = GetParam();
  const std::string how = std::string(bye ? "after A's Bye" : "after A fell silent (killed)") +
                          ", A spoke " + std::to_string(seconds) + " s";
  Speaker a = speak(a_, 440);
  ASSERT_TRUE(a.tone);
  // A's sequence numbers reach about 100 a second.
  ASSERT_TRUE(testing::eventually(
      [&] { return mic_.stats().packets > static_cast<uint64_t>(seconds) * 100 - 50; },
      std::chrono::milliseconds((seconds + 10) * 1000)));
  a.tone.reset();
  if (bye)
    a.conn.reset();  // a Bye ends its connection: the mic is free at once
  // Killed: A's connection stays (it would time out after 10 s) but sends nothing.
  Speaker b = speak(b_, 660);
  ASSERT_TRUE(b.tone);
  // B's tone by 0.5 s into the recording: dominant in 0.5-1.0 s and in 1.0-1.5 s (not A's, not
  // silence), and clean (30 dB above anything else) in at least one of them — a scheduling
  // glitch of the loaded test machine's PipeWire graph can hit one window (seen in CI: 27.7 and
  // 16.5 dB); glitches themselves are MicSourceTest's, judged against a reference channel.
  const auto rec = host::testing::record_source(dir_, "punktfunk-mic", 480, 1.5);
  const auto first = heard(rec, 0.5, 1.0), second = heard(rec, 1.0, 1.5);
  print_tone(how.c_str(), first);
  print_tone((how + ", a half second later").c_str(), second);
  EXPECT_NEAR(first.hz, 660, 10) << how;
  EXPECT_NEAR(second.hz, 660, 10) << how;
  EXPECT_GT(std::max(first.purity, second.purity), 1000) << how;
}

INSTANTIATE_TEST_SUITE_P(SpokeFor,
                         MicHandoverAfterTest,
                         ::testing::Combine(::testing::Values(3, 60), ::testing::Bool()));

TEST_F(MicHandoverTest, TwoAtOnceTheHolderIsHeardThenTheOther) {
  Speaker a = speak(a_, 440);
  ASSERT_TRUE(a.tone);
  ASSERT_TRUE(testing::eventually([&] { return mic_.stats().packets > 50; }, 5000ms));
  Speaker b = speak(b_, 660);
  ASSERT_TRUE(b.tone);
  std::this_thread::sleep_for(300ms);
  auto pcm = host::testing::record_source(dir_, "punktfunk-mic", 480, 1.5);
  const auto both = heard(pcm, 0.3, 1.3);
  print_tone("both sending", both);
  std::printf("%lu of B's packets dropped while A held the mic\n",
              static_cast<unsigned long>(mic_.stats().not_speaker));
  EXPECT_NEAR(both.hz, 440, 10) << "the holder, A, alone";
  EXPECT_GT(both.purity, 1000) << "nothing of B mixed in";
  EXPECT_GT(mic_.stats().not_speaker, 50u);
  a.tone.reset();  // A stops talking: B takes over after 200 ms
  pcm = host::testing::record_source(dir_, "punktfunk-mic", 480, 1.5);
  const auto after = heard(pcm, 0.5, 1.3);
  print_tone("after A stopped", after);
  EXPECT_NEAR(after.hz, 660, 10);
  EXPECT_GT(after.purity, 1000);
  EXPECT_GE(mic_.stats().handovers, 1u);
}

}  // namespace
}  // namespace pf::host::native
