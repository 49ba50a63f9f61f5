// SPDX-License-Identifier: MIT OR Apache-2.0
// Real PipeWire: the test starts a private D-Bus, pipewire and wireplumber,
// the capture creates the punktfunk-speakers sink, pw-play plays a 440 Hz
// tone into it, and the captured audio must carry that tone.
#include "host/audio/pw_capture.h"
#include "host/audio/pw_default_sink.h"
#include "host/audio/pw_sink.h"

#include <fcntl.h>
#include <cmath>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "base/goertzel.h"
#include "host/audio/pw_test_env.h"

namespace pf::host {
namespace {

using PipeWireTest = testing::PipeWireEnv;
using testing::spawn_quiet;

double goertzel(const std::vector<float>& s, int channels, double hz) {
  return goertzel_power(s, hz, 48000, static_cast<size_t>(channels));
}

TEST_F(PipeWireTest, CapturesWhatIsPlayedIntoTheHostSink) {
  auto cap = PwAudioCapture::start(2);
  ASSERT_TRUE(cap) << cap.error().to_string();
  // The sink exists once PipeWire processed the request.
  bool sink = false;
  for (int i = 0; i < 50 && !sink; ++i) {
    sink = std::system("pw-cli ls Node | grep -q 'node.name = \"punktfunk-speakers\"'") == 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(sink);
  const auto wav = dir_ / "tone.wav";
  ASSERT_EQ(std::system(("sox -n -r 48000 -c 2 -b 16 " + wav.string() +
                         " synth 4 sine 440 vol 0.5 >/dev/null 2>&1")
                            .c_str()),
            0);
  const pid_t play = spawn_quiet({"pw-play", "--target", "punktfunk-speakers", wav.string()});
  // Skip the start, then analyse one second.
  std::vector<float> pcm(48000 * 2);
  bool heard = false;
  for (int attempt = 0; attempt < 6 && !heard; ++attempt) {
    if (!(*cap)->read(pcm.data(), 48000, std::chrono::milliseconds(3000)))
      continue;
    heard = goertzel(pcm, 2, 440) > 1000 * goertzel(pcm, 2, 1000);
  }
  ::kill(play, SIGTERM);
  ::waitpid(play, nullptr, 0);
  EXPECT_TRUE(heard) << "captured " << (*cap)->stats().frames_captured << " frames";
  EXPECT_GT((*cap)->stats().frames_captured, 48000u);
}

// Two sessions' sinks side by side: each capture hears only what is played
// into its own sink (a 440 Hz tone into one, 1 kHz into the other).
TEST_F(PipeWireTest, EachSessionsSinkCarriesOnlyItsOwnSound) {
  PwAudioCapture::Options a, b;
  a.sink_name = "punktfunk-0000000a";
  b.sink_name = "punktfunk-0000000b";
  auto ca = PwAudioCapture::start(a);
  auto cb = PwAudioCapture::start(b);
  ASSERT_TRUE(ca && cb);
  for (const auto& name : {a.sink_name, b.sink_name}) {
    bool sink = false;
    for (int i = 0; i < 50 && !sink; ++i) {
      sink = std::system(("pw-cli ls Node | grep -q 'node.name = \"" + name + "\"'").c_str()) == 0;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_TRUE(sink) << name;
  }
  std::vector<pid_t> players;
  for (const auto& [hz, sink] : {std::pair{440, a.sink_name}, std::pair{1000, b.sink_name}}) {
    const auto wav = dir_ / ("tone" + std::to_string(hz) + ".wav");
    ASSERT_EQ(std::system(("sox -n -r 48000 -c 2 -b 16 " + wav.string() + " synth 5 sine " +
                           std::to_string(hz) + " vol 0.5 >/dev/null 2>&1")
                              .c_str()),
              0);
    players.push_back(spawn_quiet({"pw-play", "--target", sink, wav.string()}));
  }
  // Each capture: its own tone strong, the other's absent (1000x weaker).
  auto hears_only = [&](PwAudioCapture& cap, double own, double other) {
    std::vector<float> pcm(48000 * 2);
    for (int attempt = 0; attempt < 6; ++attempt) {
      if (!cap.read(pcm.data(), 48000, std::chrono::milliseconds(3000)))
        continue;
      const double p_own = goertzel(pcm, 2, own), p_other = goertzel(pcm, 2, other);
      if (p_own > 1000 * p_other && p_own > 1.0)
        return true;
    }
    return false;
  };
  EXPECT_TRUE(hears_only(**ca, 440, 1000)) << "session A's sink";
  EXPECT_TRUE(hears_only(**cb, 1000, 440)) << "session B's sink";
  for (pid_t p : players) {
    ::kill(p, SIGTERM);
    ::waitpid(p, nullptr, 0);
  }
}

// A session's own sink (PwSink) is there before any capture and stays after
// one ended: a capture with create_sink = false hears what is played into it,
// and the node goes only with the PwSink.
TEST_F(PipeWireTest, ASessionsSinkOutlivesItsCaptures) {
  const std::string name = "punktfunk-0000000c";
  auto node_exists = [&] {
    return std::system(("pw-cli ls Node | grep -q 'node.name = \"" + name + "\"'").c_str()) == 0;
  };
  auto wait_for = [&](bool want) {
    for (int i = 0; i < 50; ++i) {
      if (node_exists() == want)
        return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  };
  auto sink = PwSink::create(name, 2);
  ASSERT_TRUE(sink) << sink.error().to_string();
  ASSERT_TRUE(wait_for(true));
  const auto wav = dir_ / "tone660.wav";
  ASSERT_EQ(std::system(("sox -n -r 48000 -c 2 -b 16 " + wav.string() +
                         " synth 8 sine 660 vol 0.5 >/dev/null 2>&1")
                            .c_str()),
            0);
  const pid_t play = spawn_quiet({"pw-play", "--target", name, wav.string()});
  for (int round = 0; round < 2; ++round) {  // a stream, then the next one (a resume)
    PwAudioCapture::Options o;
    o.sink_name = name;
    o.create_sink = false;
    auto cap = PwAudioCapture::start(o);
    ASSERT_TRUE(cap) << cap.error().to_string();
    std::vector<float> pcm(48000 * 2);
    bool heard = false;
    for (int attempt = 0; attempt < 6 && !heard; ++attempt)
      heard = (*cap)->read(pcm.data(), 48000, std::chrono::milliseconds(3000)) &&
              goertzel(pcm, 2, 660) > 1000 * goertzel(pcm, 2, 1000);
    EXPECT_TRUE(heard) << "round " << round;
    cap->reset();
    EXPECT_TRUE(node_exists()) << "the sink stays after its capture";
  }
  ::kill(play, SIGTERM);
  ::waitpid(play, nullptr, 0);
  sink->reset();
  EXPECT_TRUE(wait_for(false)) << "the sink goes with its PwSink";
}

TEST_F(PipeWireTest, MakesItsSinkTheDefaultWhileCapturingAndRestoresIt) {
  const auto before = DefaultSinkGuard::configured_default();
  {
    PwAudioCapture::Options o;
    o.make_default = true;
    auto cap = PwAudioCapture::start(o);
    ASSERT_TRUE(cap) << cap.error().to_string();
    EXPECT_EQ(DefaultSinkGuard::configured_default().value_or(""), "punktfunk-speakers");
  }
  EXPECT_EQ(DefaultSinkGuard::configured_default(), before);
}

TEST_F(PipeWireTest, CapturesTheDefaultSinksMonitorWhenAsked) {
  // The user's own output: a null sink made the default.
  ASSERT_EQ(std::system("pw-cli create-node adapter '{ factory.name=support.null-audio-sink "
                        "node.name=pf-test-sink media.class=Audio/Sink object.linger=true "
                        "audio.position=[FL FR] }' >/dev/null 2>&1"),
            0);
  for (int i = 0; i < 50 && std::system("pw-cli ls Node | grep -q pf-test-sink") != 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto guard = DefaultSinkGuard::make_default("pf-test-sink");
  ASSERT_TRUE(guard) << guard.error().to_string();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  PwAudioCapture::Options o;
  o.default_sink_monitor = true;
  auto cap = PwAudioCapture::start(o);
  ASSERT_TRUE(cap) << cap.error().to_string();
  EXPECT_NE(std::system("pw-cli ls Node | grep -q 'node.name = \"punktfunk-speakers\"'"), 0);
  const auto wav = dir_ / "tone.wav";
  ASSERT_EQ(std::system(("sox -n -r 48000 -c 2 -b 16 " + wav.string() +
                         " synth 4 sine 440 vol 0.5 >/dev/null 2>&1")
                            .c_str()),
            0);
  const pid_t play = spawn_quiet({"pw-play", wav.string()});  // to the default sink
  std::vector<float> pcm(48000 * 2);
  bool heard = false;
  for (int attempt = 0; attempt < 6 && !heard; ++attempt) {
    if (!(*cap)->read(pcm.data(), 48000, std::chrono::milliseconds(3000)))
      continue;
    heard = goertzel(pcm, 2, 440) > 1000 * goertzel(pcm, 2, 1000);
  }
  ::kill(play, SIGTERM);
  ::waitpid(play, nullptr, 0);
  EXPECT_TRUE(heard) << "captured " << (*cap)->stats().frames_captured << " frames";
}

TEST(PwAudioCaptureNoServer, IsAClearError) {
  const std::string old = std::getenv("XDG_RUNTIME_DIR") ? std::getenv("XDG_RUNTIME_DIR") : "";
  ::setenv("XDG_RUNTIME_DIR", "/nonexistent-runtime-dir", 1);
  auto cap = PwAudioCapture::start(2);
  if (old.empty())
    ::unsetenv("XDG_RUNTIME_DIR");
  else
    ::setenv("XDG_RUNTIME_DIR", old.c_str(), 1);
  ASSERT_FALSE(cap);
  EXPECT_EQ(cap.error().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace pf::host
